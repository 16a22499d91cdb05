using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>
/// Which record types exist at names whose records were read but not kept (a zone audit keeps only
/// the types its rules read). Names are held as a 64-bit fingerprint of their canonical lower-case
/// text, with one bit per type below 63 and bit 63 for all others — 16 bytes a name instead of the
/// records themselves. Two names sharing a fingerprint is a one-in-10^13 event for a million names.
/// </summary>
/// <remarks>
/// While the parser adds, owners go into a plain array in file order (records of one owner are merged as
/// they come); <see cref="Complete"/> sorts it once and merges repeats, and lookups are binary searches.
/// That is half the memory of a hash table, which must stay partly empty, and no rehashing as it grows.
/// The names between an owner and the apex (RFC 4592 §2.2.2: they exist without records of their own)
/// are few in real zones and go into a set, which stops the climb at the first one already known.
/// </remarks>
public sealed class NameFingerprints
{
    private const int OtherTypesBit = 63;

    private ulong[] _names = [];
    private ulong[] _types = [];
    private int _count;
    private readonly HashSet<ulong> _between = [];
    private volatile bool _complete;
    private readonly Lock _completing = new();

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
        if (_count > 0 && _names[_count - 1] == key)
        {
            // The same owner as the record before: the usual case in a zone file.
            _types[_count - 1] |= Bit(type);
            return;
        }

        if (_count == _names.Length)
        {
            var capacity = Math.Max(1024, _count * 2);
            Array.Resize(ref _names, capacity);
            Array.Resize(ref _types, capacity);
        }

        _names[_count] = key;
        _types[_count++] = Bit(type);
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

            Array.Sort(_names, _types, 0, _count);
            var merged = 0;
            for (var i = 0; i < _count; i++)
            {
                if (merged > 0 && _names[merged - 1] == _names[i])
                {
                    _types[merged - 1] |= _types[i];
                }
                else
                {
                    _names[merged] = _names[i];
                    _types[merged++] = _types[i];
                }
            }

            _count = merged;
            // What the parser will not add to any more is given back: a zone of a million names holds 16 MB, not 32.
            Array.Resize(ref _names, merged);
            Array.Resize(ref _types, merged);
            _complete = true;
        }
    }

    public bool Contains(DnsName name)
    {
        var key = Of(name.Text);
        return Find(key) >= 0 || _between.Contains(key);
    }

    public bool Has(DnsName name, RecordType type) => Find(Of(name.Text)) is var at and >= 0 && (_types[at] & Bit(type)) != 0;

    /// <summary>True when a type other than the two given was seen at the name.</summary>
    public bool HasTypesBesides(DnsName name, RecordType one, RecordType other) =>
        Find(Of(name.Text)) is var at and >= 0 && (_types[at] & ~(Bit(one) | Bit(other))) != 0;

    /// <summary>The types seen at a name; types above 62 show as one entry, <c>TYPE65535</c> standing for "other".</summary>
    public IReadOnlyList<RecordType> TypesAt(DnsName name)
    {
        if (Find(Of(name.Text)) is not (var at and >= 0))
        {
            return [];
        }

        var bits = _types[at];
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

    /// <summary>Where a name's types are, or -1 when no record of the name was added.</summary>
    private int Find(ulong key)
    {
        Complete();
        return _count == 0 ? -1 : Array.BinarySearch(_names, 0, _count, key) is var at and >= 0 ? at : -1;
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
}
