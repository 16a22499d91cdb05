using System.Runtime.InteropServices;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>
/// Which record types exist at names whose records were read but not kept (a zone audit keeps only
/// the types its rules read). Names are held as a 64-bit fingerprint of their canonical lower-case
/// text, with one bit per type below 63 and bit 63 for all others — 11 bytes a name (with its filter) instead of the
/// records themselves. Two names sharing a fingerprint is a one-in-10^13 event for a million names.
/// </summary>
/// <remarks>
/// While the parser adds, owners go into fixed-size chunks in file order (records of one owner are merged
/// as they come); each chunk is sorted once and its repeats merged — a large one on another core as soon as it
/// is full, the rest by <see cref="Complete"/> — and a lookup is a binary search per chunk. That is half the memory of a hash table, which must stay partly empty, and
/// nothing is ever copied to grow: no moment holds the old array beside the new one.
/// The names between an owner and the apex (RFC 4592 §2.2.2: they exist without records of their own)
/// are few in real zones and go into a set, which stops the climb at the first one already known.
/// The type bits of a name are stored in 16 bits (<see cref="TypeBits"/>): one for each of the types zones are
/// made of, and one that sends a lookup to a side table holding the full 64 bits of the few names with other types.
/// Eight bytes a name were six more than a zone of a million owners (5 MB) needs.
/// </remarks>
public sealed class NameFingerprints
{
    private const int OtherTypesBit = 63;

    /// <summary>The most names a chunk holds: two arrays of 512 KB. The first chunks are smaller, for small zones.</summary>
    private const int ChunkSize = 64 * 1024;

    private readonly List<Chunk> _chunks = [];
    private readonly HashSet<ulong> _between = [];

    /// <summary>The full type bits of the names that have a type <see cref="TypeBits"/> has no bit for (most zones: none).</summary>
    private readonly Dictionary<ulong, ulong> _rareTypes = [];
    private volatile bool _complete;
    private readonly Lock _completing = new();

    /// <summary>True when the first chunk is full-sized: the later part of a large zone (whose chunks join the earlier part's).</summary>
    private readonly bool _large;

    /// <param name="large">
    /// Whether the names are those of a large text, so that the chunks are full-sized from the first: a lookup reads
    /// every chunk, and the small first chunks of a zone's later part would be seven more.
    /// </param>
    public NameFingerprints(bool large = false) => _large = large;

    /// <summary>Records that a record of <paramref name="type"/> exists at <paramref name="owner"/>, and that its ancestors down to the apex exist.</summary>
    public void Add(DnsName owner, RecordType type, DnsName? apex) => Add(owner.Text, owner.LabelCount, type, apex);

    /// <summary><see cref="Add(DnsName, RecordType, DnsName?)"/> for an owner given as canonical text and its number of labels.</summary>
    public void Add(ReadOnlySpan<char> owner, int labelCount, RecordType type, DnsName? apex)
    {
        if (_complete)
        {
            throw new InvalidOperationException("The fingerprints are complete: nothing can be added any more.");
        }

        var key = Of(owner);
        var bits = TypeBits.Of(Bit(type));
        if (bits == TypeBits.Rare)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_rareTypes, key, out _) |= Bit(type);
        }

        var last = _chunks.Count == 0 ? null : _chunks[^1];
        if (last is { Count: > 0 } && last.Names[last.Count - 1] == key)
        {
            // The same owner as the record before: the usual case in a zone file.
            last.Types[last.Count - 1] |= bits;
            return;
        }

        if (last is null || last.Count == last.Names.Length)
        {
            // A full chunk is never added to again: a large one is sorted on another core while the parser goes on.
            last?.SortInBackgroundIfLarge();
            last = new Chunk(_large ? ChunkSize : Math.Min(ChunkSize, 1024 << Math.Min(_chunks.Count, 6)));
            _chunks.Add(last);
        }

        last.Names[last.Count] = key;
        last.Types[last.Count++] = bits;
        if (apex is null || !DnsName.IsSubdomainOf(owner, labelCount, apex))
        {
            return;
        }

        for (var name = DnsName.ParentText(owner); name.Length > apex.Text.Length; name = DnsName.ParentText(name))
        {
            if (!_between.Add(Of(name)))
            {
                break;
            }
        }
    }

    /// <summary>
    /// Takes in what <paramref name="later"/> holds: the names of the text after this one's, when a zone is read in two
    /// parts. Its chunks join these as they are (a lookup reads every chunk), and <paramref name="later"/> is not used again.
    /// </summary>
    public void Absorb(NameFingerprints later)
    {
        if (_complete)
        {
            throw new InvalidOperationException("The fingerprints are complete: nothing can be added any more.");
        }

        _chunks.AddRange(later._chunks);
        _between.UnionWith(later._between);
        foreach (var (key, bits) in later._rareTypes)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_rareTypes, key, out _) |= bits;
        }
    }

    /// <summary>Sorts and merges what was added; lookups do it themselves when the parser has not.</summary>
    public void Complete()
    {
        if (_complete)
        {
            return;
        }

        lock (_completing)
        {
            if (_complete)
            {
                return;
            }

            foreach (var chunk in _chunks)
            {
                chunk.EnsureSorted();
            }

            _complete = true;
        }
    }

    public bool Contains(DnsName name)
    {
        var key = Of(name.Text);
        return TypesOf(key, out _) || _between.Contains(key);
    }

    public bool Has(DnsName name, RecordType type) => TypesOf(Of(name.Text), out var bits) && (bits & Bit(type)) != 0;

    /// <summary>True when a type other than the two given was seen at the name.</summary>
    public bool HasTypesBesides(DnsName name, RecordType one, RecordType other) => HasTypesBesides(name.Text, one, other);

    /// <summary><see cref="HasTypesBesides(DnsName, RecordType, RecordType)"/> for a name given as its canonical text.</summary>
    public bool HasTypesBesides(ReadOnlySpan<char> name, RecordType one, RecordType other) =>
        TypesOf(Of(name), out var bits) && (bits & ~(Bit(one) | Bit(other))) != 0;

    /// <summary>The types seen at a name; types above 62 show as one entry, <c>TYPE65535</c> standing for "other".</summary>
    public IReadOnlyList<RecordType> TypesAt(DnsName name)
    {
        if (!TypesOf(Of(name.Text), out var bits))
        {
            return [];
        }

        var types = new List<RecordType>();
        for (var bit = 0; bit < 64; bit++)
        {
            if ((bits & (1UL << bit)) != 0)
            {
                types.Add(bit == OtherTypesBit ? new RecordType(ushort.MaxValue) : new RecordType((ushort)bit));
            }
        }

        return types;
    }

    /// <summary>The type bits of a name, from every chunk it is in; false when no record of the name was added.</summary>
    private bool TypesOf(ulong key, out ulong bits)
    {
        Complete();
        ushort stored = 0;
        var found = false;
        foreach (var chunk in _chunks)
        {
            if (!chunk.MayContain(key))
            {
                continue;
            }

            var at = Array.BinarySearch(chunk.Names, 0, chunk.Count, key);
            if (at >= 0)
            {
                stored |= chunk.Types[at];
                found = true;
            }
        }

        bits = TypeBits.Expand(stored) | ((stored & TypeBits.Rare) != 0 ? _rareTypes[key] : 0);
        return found;
    }

    private static ulong Bit(RecordType type) => 1UL << (type.Value < OtherTypesBit ? type.Value : OtherTypesBit);

    /// <summary>FNV-1a over the text with ASCII letters folded to lower case (names compare case-insensitively).</summary>
    public static ulong Of(ReadOnlySpan<char> text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ (c is >= 'A' and <= 'Z' ? (ulong)(c | 0x20) : c)) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>
    /// Names and their type bits, in two arrays of the same order, and a filter that tells at once (one word
    /// read) that most names are not in the chunk: a lookup searched every chunk of a million-record zone, 16
    /// cache misses each, and the CNAME checks and CAA climbs of an audit make hundreds of thousands of lookups.
    /// </summary>
    private sealed class Chunk(int capacity)
    {
        /// <summary>The filter's size: 8 bits per name, two of them set per name in one word (about 1 in 20 false hits).</summary>
        private const int NamesPerFilterWord = 8;

        public ulong[] Names { get; } = new ulong[capacity];

        public ushort[] Types { get; } = new ushort[capacity];

        public int Count { get; set; }

        // A power of two words (the capacity is one), so that a word is picked by the top bits of a hash.
        private readonly ulong[] _filter = new ulong[Math.Max(1, capacity / NamesPerFilterWord)];
        private readonly int _filterShift = 64 - System.Numerics.BitOperations.Log2((uint)Math.Max(1, capacity / NamesPerFilterWord));

        /// <summary>False when the name is surely not in the chunk (once sorted: the filter is filled then).</summary>
        public bool MayContain(ulong key)
        {
            var (word, bits) = FilterBits(key);
            return (_filter[word] & bits) == bits;
        }

        /// <summary>The word and the two bits of a name in the filter, from a remix of its fingerprint (FNV's low bits are weak).</summary>
        private (int Word, ulong Bits) FilterBits(ulong key)
        {
            var mixed = key * 0x9E3779B97F4A7C15UL;
            var word = _filterShift == 64 ? 0 : (int)(mixed >> _filterShift);
            return (word, (1UL << (int)(mixed & 63)) | (1UL << (int)((mixed >> 6) & 63)));
        }

        /// <summary>
        /// Chunks at least this large are sorted on the thread pool once full. Sorting was a tenth of a 100k-record
        /// audit's time, on one core while the other waited; smaller chunks are not worth a hand-off.
        /// </summary>
        private const int SortedInBackgroundFrom = 8 * 1024;

        private const int Unsorted = 0, Claimed = 1, Sorted = 2;

        private int _state;

        public void SortInBackgroundIfLarge()
        {
            if (Names.Length >= SortedInBackgroundFrom)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static chunk => chunk.TrySort(), this, preferLocal: false);
            }
        }

        /// <summary>
        /// Sorts the chunk here unless that has begun elsewhere, and then waits for it: never for a work item that has
        /// not started (a busy pool might start it late), only for a sort already running.
        /// </summary>
        public void EnsureSorted()
        {
            if (TrySort())
            {
                return;
            }

            var spin = default(SpinWait);
            while (Volatile.Read(ref _state) != Sorted)
            {
                spin.SpinOnce();
            }
        }

        private bool TrySort()
        {
            if (Interlocked.CompareExchange(ref _state, Claimed, Unsorted) != Unsorted)
            {
                return false;
            }

            SortAndMerge();
            // Published with release semantics: a reader that sees Sorted sees the sorted arrays and the filter.
            Volatile.Write(ref _state, Sorted);
            return true;
        }

        private void SortAndMerge()
        {
            Array.Sort(Names, Types, 0, Count);
            var merged = 0;
            for (var i = 0; i < Count; i++)
            {
                if (merged > 0 && Names[merged - 1] == Names[i])
                {
                    Types[merged - 1] |= Types[i];
                }
                else
                {
                    Names[merged] = Names[i];
                    Types[merged++] = Types[i];
                }
            }

            Count = merged;
            for (var i = 0; i < Count; i++)
            {
                var (word, bits) = FilterBits(Names[i]);
                _filter[word] |= bits;
            }
        }
    }

    /// <summary>
    /// A name's type bits in 16 bits: bit i stands for the 64-bit mask bit <see cref="Common"/>[i], the types
    /// real zones are made of; <see cref="Rare"/> says that the name also has another type, whose bit is kept in
    /// the side table.
    /// </summary>
    internal static class TypeBits
    {
        public const ushort Rare = 1 << 15;

        /// <summary>
        /// The 64-bit mask bits with a bit of their own: A, NS, CNAME, SOA, PTR, MX, TXT, AAAA, SRV, NAPTR, DS,
        /// RRSIG, NSEC, DNSKEY, and bit 63 (every type from 63 up: SVCB, HTTPS, CAA …).
        /// </summary>
        private static readonly int[] Common = [1, 2, 5, 6, 12, 15, 16, 28, 33, 35, 43, 46, 47, 48, OtherTypesBit];

        /// <summary>For each of the 64 mask bits, its 16-bit form: a table, as every record read passes here.</summary>
        private static readonly ushort[] ByMaskBit = MakeTable();

        /// <summary>The 16-bit form of one type's mask bit (<see cref="Rare"/> when it has no bit of its own).</summary>
        public static ushort Of(ulong maskBit) => ByMaskBit[System.Numerics.BitOperations.Log2(maskBit)];

        /// <summary>The 64-bit mask of the common types among the 16 bits (the rare ones come from the side table).</summary>
        public static ulong Expand(ushort bits)
        {
            var mask = 0UL;
            for (var at = 0; at < Common.Length; at++)
            {
                if ((bits & (1 << at)) != 0)
                {
                    mask |= 1UL << Common[at];
                }
            }

            return mask;
        }

        private static ushort[] MakeTable()
        {
            var table = new ushort[64];
            Array.Fill(table, Rare);
            for (var at = 0; at < Common.Length; at++)
            {
                table[Common[at]] = (ushort)(1 << at);
            }

            return table;
        }
    }
}
