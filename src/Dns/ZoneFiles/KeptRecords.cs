using System.Text;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>
/// The records a parse kept, in file order. Held compactly (a zone audit, past <see cref="DefaultCompactAbove"/> records),
/// a record whose data is one name (CNAME, NS, DNAME, PTR) is stored as its parts — the owner's and the target's canonical text as ASCII bytes,
/// TTL, type, class and place — and a <see cref="ResourceRecord"/> is made each time it is read; every other record is
/// held as it is.
/// </summary>
/// <remarks>
/// A zone audit keeps the CNAMEs of a zone, which in a zone of a million records are a hundred thousand or more: as
/// objects, a record, its data and two name objects were 136 bytes of each CNAME's ~330, and each text as a string ~70
/// more (20-odd as bytes): the audit's peak memory was mostly them. Made on demand, those objects die young, where the collector's work is
/// cheapest. Readers that need only an owner's text or a record's type (<see cref="ZoneData"/> building its index)
/// ask for them without a record being made.
/// </remarks>
public sealed class KeptRecords : IReadOnlyList<ResourceRecord>
{
    /// <summary>Entries a chunk holds once the first is full: 2,048 of 40 bytes stay under the large object heap's threshold.</summary>
    private const int ChunkShift = 11;

    private const int ChunkSize = 1 << ChunkShift;

    /// <summary>
    /// The compact store: chunks of <see cref="ChunkSize"/> entries, never copied. It is made only for a large zone (past
    /// <see cref="DefaultCompactAbove"/> records), so its chunks, text chunks and text cache are full-sized from the start.
    /// </summary>
    private readonly List<Entry[]> _chunks = [];

    /// <summary>The records themselves, while not held compactly.</summary>
    private List<ResourceRecord>? _whole = [];

    /// <summary>How many records are held as they are before name records are held as their parts.</summary>
    private readonly int _compactAbove;

    /// <summary>
    /// Kept records of a zone audit from which its name records are held compactly. A small zone's records stay objects:
    /// made on every read, the name records of the sample zone made its audit allocate a quarter more (88 → 110 KB,
    /// bench/DiagnosisCost audit), and only large zones need the memory back.
    /// </summary>
    public const int DefaultCompactAbove = 4096;

    /// <param name="compactAbove">
    /// How many records are held as they are; past that, name records are held as their parts (a zone audit:
    /// <see cref="DefaultCompactAbove"/>). Never, by default.
    /// </param>
    public KeptRecords(int compactAbove = int.MaxValue)
    {
        _compactAbove = compactAbove;
    }

    /// <summary>The records given, held as they are.</summary>
    public KeptRecords(IEnumerable<ResourceRecord> records)
    {
        _compactAbove = int.MaxValue;
        _whole!.AddRange(records);
    }

    public int Count => _whole?.Count ?? _count;

    private int _count;

    public ResourceRecord this[int index]
    {
        get
        {
            if (_whole is not null)
            {
                return _whole[index];
            }

            ref readonly var entry = ref At(index);
            return entry.Record ?? Made(entry);
        }
    }

    /// <param name="zone">
    /// The zone being read, when known: the first one given is cut off the end of the names stored compactly (most are
    /// inside it) and put back when they are read — 13 bytes of each name of a zone called example.com.
    /// </param>
    public void Add(ResourceRecord record, DnsName? zone = null)
    {
        if (_whole is not null)
        {
            _whole.Add(record);
            if (_whole.Count > _compactAbove)
            {
                // From here on the zone is large: the records so far are held as their parts too, in the same order.
                var whole = _whole;
                _whole = null;
                foreach (var kept in whole)
                {
                    AddCompact(kept, zone);
                }
            }

            return;
        }

        AddCompact(record, zone);
    }

    /// <summary>
    /// Adds, in order, the records <paramref name="later"/> kept of the text after this store's (a zone read in two
    /// parts), which is not used again. Two compact stores are joined as they are: the later one's entries are copied
    /// and its text chunks taken over, not a record made.
    /// </summary>
    public void Append(KeptRecords later, DnsName? zone)
    {
        if (_whole is not null || later._whole is not null || (_suffix is not null && later._suffix is not null && _suffix != later._suffix))
        {
            foreach (var record in later)
            {
                Add(record, zone);
            }

            return;
        }

        // A text of the later store is found at the same offset in its chunk, in a chunk numbered this many more.
        var textShift = _text.Count << TextChunkShift;
        _suffix ??= later._suffix;
        if (later._text.Count > 0)
        {
            _text.AddRange(later._text);
            _textUsed = later._textUsed;
        }

        for (var i = 0; i < later._count; i++)
        {
            ref var entry = ref Next();
            entry = later.At(i);
            if (entry.Record is null)
            {
                entry.OwnerAt += textShift;
                entry.TargetAt += textShift;
            }

            _count++;
        }
    }

    private void AddCompact(ResourceRecord record, DnsName? zone)
    {
        if (_suffix is null && zone is { IsRoot: false })
        {
            _suffix = zone.Text;
        }

        ref var entry = ref Next();
        entry = record is { Data: NameData { Target: var target }, Location: { } at } && Ascii.IsValid(target.Text) && Ascii.IsValid(record.Owner.Text)
            ? new Entry
            {
                OwnerAt = Store(record.Owner.Text, out var ownerLength),
                OwnerLength = ownerLength,
                OwnerLabels = (byte)record.Owner.LabelCount,
                TargetAt = Store(target.Text, out var targetLength),
                TargetLength = targetLength,
                TargetLabels = (byte)target.LabelCount,
                Type = record.Type.Value,
                Class = record.Class.Value,
                Ttl = record.Ttl,
                Line = at.Line,
                Column = at.Column,
            }
            : new Entry { Record = record };
        _count++;
    }

    /// <summary>The owner's canonical text of the record at <paramref name="index"/> (made anew for a compact record).</summary>
    public string OwnerText(int index)
    {
        if (_whole is not null)
        {
            return _whole[index].Owner.Text;
        }

        ref readonly var entry = ref At(index);
        return entry.Record?.Owner.Text ?? Text(entry.OwnerAt, entry.OwnerLength);
    }

    /// <summary>The length of the owner's canonical text of the record at <paramref name="index"/>.</summary>
    public int OwnerLength(int index)
    {
        if (_whole is not null)
        {
            return _whole[index].Owner.Text.Length;
        }

        ref readonly var entry = ref At(index);
        return entry.Record?.Owner.Text.Length ?? FullLength(entry.OwnerLength);
    }

    /// <summary>
    /// The owner's canonical text of the record at <paramref name="index"/>, without a string: in place for a record held
    /// whole, else written to <paramref name="buffer"/> (at least <see cref="OwnerLength"/> long).
    /// </summary>
    public ReadOnlySpan<char> OwnerChars(int index, Span<char> buffer)
    {
        if (_whole is not null)
        {
            return _whole[index].Owner.Text;
        }

        ref readonly var entry = ref At(index);
        if (entry.Record is { } record)
        {
            return record.Owner.Text;
        }

        return Chars(entry.OwnerAt, entry.OwnerLength, buffer);
    }

    /// <summary>
    /// The canonical text of the name in the data of the record at <paramref name="index"/> (a CNAME's target), without
    /// making the record: in place for a record held whole, else written to <paramref name="buffer"/> (at least
    /// <see cref="DnsName.MaxTextLength"/> long). Empty when the record's data is not one name.
    /// </summary>
    public ReadOnlySpan<char> TargetChars(int index, Span<char> buffer, out int labelCount)
    {
        var record = _whole is not null ? _whole[index] : At(index).Record;
        if (record is not null)
        {
            var target = (record.Data as NameData)?.Target;
            labelCount = target?.LabelCount ?? 0;
            return target is null ? [] : target.Text;
        }

        ref readonly var entry = ref At(index);
        labelCount = entry.TargetLabels;
        return Chars(entry.TargetAt, entry.TargetLength, buffer);
    }

    /// <summary>True when the two records' owners are known to be one text without comparing it (stored once, or one string).</summary>
    public bool SharesOwner(int first, int second)
    {
        if (_whole is not null)
        {
            return ReferenceEquals(_whole[first].Owner.Text, _whole[second].Owner.Text);
        }

        ref readonly var one = ref At(first);
        ref readonly var other = ref At(second);
        return one.Record is null && other.Record is null
            ? one.OwnerAt == other.OwnerAt && one.OwnerLength == other.OwnerLength
            : one.Record is not null && other.Record is not null && ReferenceEquals(one.Record.Owner.Text, other.Record.Owner.Text);
    }

    /// <summary>The owner of the record at <paramref name="index"/>, without making the record.</summary>
    public DnsName Owner(int index)
    {
        if (_whole is not null)
        {
            return _whole[index].Owner;
        }

        ref readonly var entry = ref At(index);
        return entry.Record?.Owner ?? DnsName.FromCanonical(Text(entry.OwnerAt, entry.OwnerLength), entry.OwnerLabels);
    }

    /// <summary>The number of labels of the owner of the record at <paramref name="index"/>, without making the record.</summary>
    public int OwnerLabelCount(int index)
    {
        if (_whole is not null)
        {
            return _whole[index].Owner.LabelCount;
        }

        ref readonly var entry = ref At(index);
        return entry.Record?.Owner.LabelCount ?? entry.OwnerLabels;
    }

    /// <summary>True when name records are held as their parts, and every read of one makes a new record.</summary>
    public bool IsCompact => _whole is null;

    /// <summary>The type of the record at <paramref name="index"/>, without making the record.</summary>
    public RecordType TypeAt(int index)
    {
        if (_whole is not null)
        {
            return _whole[index].Type;
        }

        ref readonly var entry = ref At(index);
        return entry.Record?.Type ?? new RecordType(entry.Type);
    }

    public IEnumerator<ResourceRecord> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private ref Entry At(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
        return ref _chunks[index >> ChunkShift][index & (ChunkSize - 1)];
    }

    /// <summary>The place for one more entry, in a new chunk when the last is full.</summary>
    private ref Entry Next()
    {
        var offset = _count & (ChunkSize - 1);
        if (offset == 0)
        {
            _chunks.Add(new Entry[ChunkSize]);
        }

        return ref _chunks[^1][offset];
    }

    /// <summary>Text in one byte per character (a name's canonical text is ASCII), in chunks that are never copied.</summary>
    private readonly List<byte[]> _text = [];

    private int _textUsed;

    /// <summary>Bytes a text chunk holds: below the large object heap's threshold, and far above the longest name (4 × 255 characters).</summary>
    private const int TextChunkShift = 16;

    private const int TextChunkSize = (1 << TextChunkShift) - 1024;

    /// <summary>
    /// The texts stored last, by their identity: the parser gives one name object to the records of an owner, and the
    /// same one to a target written again (<see cref="NameInterner"/>) — CNAMEs point at few targets many times (a
    /// hosting export: a few hundred CDN names for a hundred thousand CNAMEs) — so such a text's bytes are stored once.
    /// Direct-mapped and bounded; made with the first compact record.
    /// </summary>
    private (string? Text, int At, ushort Length)[]? _recentTexts;

    private const int RecentTexts = 4096;

    /// <summary>Stores an ASCII text once for all the records that share the same text object; where it starts.</summary>
    private int Store(string text, out ushort length)
    {
        _recentTexts ??= new (string?, int, ushort)[RecentTexts];
        ref var recent = ref _recentTexts[System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(text) & (RecentTexts - 1)];
        if (!ReferenceEquals(recent.Text, text))
        {
            // Cut textually: put back, the suffix gives the same text whatever the characters before it (an escaped dot too).
            var cut = _suffix is not null && text.Length > _suffix.Length && text.EndsWith(_suffix, StringComparison.Ordinal);
            var stored = cut ? text.AsSpan(0, text.Length - _suffix!.Length) : text;
            recent = (text, StoreText(stored), (ushort)(stored.Length | (cut ? Suffixed : 0)));
        }

        length = recent.Length;
        return recent.At;
    }

    /// <summary>The zone's name, cut off the end of the texts stored with <see cref="Suffixed"/> in their length.</summary>
    private string? _suffix;

    /// <summary>The bit of a stored length that says the text goes on with <see cref="_suffix"/> (names are at most 1,020 characters).</summary>
    private const ushort Suffixed = 0x8000;

    private int FullLength(ushort stored) => (stored & ~Suffixed) + ((stored & Suffixed) != 0 ? _suffix!.Length : 0);

    /// <summary>A stored text, written to <paramref name="buffer"/> with its suffix.</summary>
    private ReadOnlySpan<char> Chars(int at, ushort stored, Span<char> buffer)
    {
        var written = Encoding.ASCII.GetChars(Bytes(at, stored & ~Suffixed), buffer);
        if ((stored & Suffixed) != 0)
        {
            _suffix.AsSpan().CopyTo(buffer[written..]);
            written += _suffix!.Length;
        }

        return buffer[..written];
    }

    /// <summary>Stores an ASCII text; where it starts (chunk and offset in one number).</summary>
    private int StoreText(ReadOnlySpan<char> text)
    {
        if (_text.Count == 0 || _textUsed + text.Length > TextChunkSize)
        {
            _text.Add(new byte[TextChunkSize]);
            _textUsed = 0;
        }

        var at = ((_text.Count - 1) << TextChunkShift) | _textUsed;
        Encoding.ASCII.GetBytes(text, _text[^1].AsSpan(_textUsed));
        _textUsed += text.Length;
        return at;
    }

    private ReadOnlySpan<byte> Bytes(int at, int length) => _text[at >> TextChunkShift].AsSpan(at & ((1 << TextChunkShift) - 1), length);

    private string Text(int at, ushort stored) =>
        (stored & Suffixed) == 0
            ? Encoding.ASCII.GetString(Bytes(at, stored))
            : string.Create(FullLength(stored), (this, at, stored), static (chars, state) => state.Item1.Chars(state.at, state.stored, chars));

    private ResourceRecord Made(in Entry entry) =>
        new(DnsName.FromCanonical(Text(entry.OwnerAt, entry.OwnerLength), entry.OwnerLabels), new RecordType(entry.Type), new RecordClass(entry.Class), entry.Ttl,
            new NameData(DnsName.FromCanonical(Text(entry.TargetAt, entry.TargetLength), entry.TargetLabels)), new SourceLocation(entry.Line, entry.Column));

    /// <summary>
    /// One kept record: the record itself, or (<see cref="Record"/> null) a name record's parts, its owner's and target's
    /// texts stored as bytes at <see cref="OwnerAt"/> and <see cref="TargetAt"/>.
    /// </summary>
    private struct Entry
    {
        public ResourceRecord? Record;
        public int Line;
        public int Column;
        public uint Ttl;
        public int OwnerAt;
        public int TargetAt;
        public ushort OwnerLength;
        public ushort TargetLength;
        public ushort Type;
        public ushort Class;
        public byte OwnerLabels;
        public byte TargetLabels;
    }
}
