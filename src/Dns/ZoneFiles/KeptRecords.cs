using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>
/// The records a parse kept, in file order. Held compactly (<see cref="KeptRecords(bool)"/>), a record whose data is
/// one name (CNAME, NS, DNAME, PTR) is stored as its parts — the owner's and the target's text, TTL, type, class and
/// place — and a <see cref="ResourceRecord"/> is made each time it is read; every other record is held as it is.
/// </summary>
/// <remarks>
/// A zone audit keeps the CNAMEs of a zone, which in a zone of a million records are a hundred thousand or more: as
/// objects, a record, its data and two name objects were 136 bytes of each CNAME's ~330 (the two texts are the rest),
/// and the audit's peak memory was mostly them. Made on demand, those objects die young, where the collector's work is
/// cheapest. Readers that need only an owner's text or a record's type (<see cref="ZoneData"/> building its index)
/// ask for them without a record being made.
/// </remarks>
public sealed class KeptRecords : IReadOnlyList<ResourceRecord>
{
    /// <summary>Entries a chunk holds once the first is full: 2,048 of 40 bytes stay under the large object heap's threshold.</summary>
    private const int ChunkShift = 11;

    private const int ChunkSize = 1 << ChunkShift;

    /// <summary>The compact store: chunks of <see cref="ChunkSize"/> entries (the first grows to that size), never copied once full.</summary>
    private readonly List<Entry[]> _chunks = [];

    /// <summary>The records themselves, when not held compactly.</summary>
    private readonly List<ResourceRecord>? _whole;

    /// <param name="compact">True to hold name records as their parts (a zone audit); false to hold every record as it is.</param>
    public KeptRecords(bool compact = false)
    {
        _whole = compact ? null : [];
    }

    /// <summary>The records given, held as they are.</summary>
    public KeptRecords(IEnumerable<ResourceRecord> records)
        : this(compact: false)
    {
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
            return entry.Owner is null ? (ResourceRecord)entry.Value : Made(entry);
        }
    }

    public void Add(ResourceRecord record)
    {
        if (_whole is not null)
        {
            _whole.Add(record);
            return;
        }

        ref var entry = ref Next();
        entry = record is { Data: NameData { Target: var target }, Location: { } at }
            ? new Entry
            {
                Value = target.Text,
                Owner = record.Owner.Text,
                OwnerLabels = (byte)record.Owner.LabelCount,
                TargetLabels = (byte)target.LabelCount,
                Type = record.Type.Value,
                Class = record.Class.Value,
                Ttl = record.Ttl,
                Line = at.Line,
                Column = at.Column,
            }
            : new Entry { Value = record };
        _count++;
    }

    /// <summary>The owner's canonical text of the record at <paramref name="index"/>, without making the record.</summary>
    public string OwnerText(int index)
    {
        if (_whole is not null)
        {
            return _whole[index].Owner.Text;
        }

        ref readonly var entry = ref At(index);
        return entry.Owner ?? ((ResourceRecord)entry.Value).Owner.Text;
    }

    /// <summary>The owner of the record at <paramref name="index"/>, without making the record.</summary>
    public DnsName Owner(int index)
    {
        if (_whole is not null)
        {
            return _whole[index].Owner;
        }

        ref readonly var entry = ref At(index);
        return entry.Owner is null ? ((ResourceRecord)entry.Value).Owner : DnsName.FromCanonical(entry.Owner, entry.OwnerLabels);
    }

    /// <summary>The number of labels of the owner of the record at <paramref name="index"/>, without making the record.</summary>
    public int OwnerLabelCount(int index)
    {
        if (_whole is not null)
        {
            return _whole[index].Owner.LabelCount;
        }

        ref readonly var entry = ref At(index);
        return entry.Owner is null ? ((ResourceRecord)entry.Value).Owner.LabelCount : entry.OwnerLabels;
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
        return entry.Owner is null ? ((ResourceRecord)entry.Value).Type : new RecordType(entry.Type);
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

    /// <summary>The place for one more entry: the first chunk doubles from 16 up to <see cref="ChunkSize"/> (a small zone's audit stays small), then a chunk is added at a time.</summary>
    private ref Entry Next()
    {
        var offset = _count & (ChunkSize - 1);
        if (_chunks.Count == 0)
        {
            _chunks.Add(new Entry[16]);
        }
        else if (offset == 0 && _count > 0)
        {
            _chunks.Add(new Entry[ChunkSize]);
        }
        else if (_chunks.Count == 1 && _count == _chunks[0].Length)
        {
            var grown = _chunks[0];
            Array.Resize(ref grown, Math.Min(grown.Length * 2, ChunkSize));
            _chunks[0] = grown;
        }

        return ref _chunks[^1][offset];
    }

    private static ResourceRecord Made(in Entry entry) =>
        new(DnsName.FromCanonical(entry.Owner!, entry.OwnerLabels), new RecordType(entry.Type), new RecordClass(entry.Class), entry.Ttl,
            new NameData(DnsName.FromCanonical((string)entry.Value, entry.TargetLabels)), new SourceLocation(entry.Line, entry.Column));

    /// <summary>
    /// One kept record: the record itself (<see cref="Owner"/> null), or a name record's parts with its target's text in
    /// <see cref="Value"/>.
    /// </summary>
    private struct Entry
    {
        public object Value;
        public string? Owner;
        public int Line;
        public int Column;
        public uint Ttl;
        public ushort Type;
        public ushort Class;
        public byte OwnerLabels;
        public byte TargetLabels;
    }
}
