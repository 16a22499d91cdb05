using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>
/// Which record types exist at names whose records were read but not kept (a zone audit keeps only
/// the types its rules read). Names are held as a 64-bit fingerprint of their canonical lower-case
/// text, with one bit per type below 63 and bit 63 for all others — a few bytes a name instead of the
/// records themselves. Two names sharing a fingerprint is a one-in-10^13 event for a million names.
/// </summary>
public sealed class NameFingerprints
{
    private const int OtherTypesBit = 63;

    private readonly Dictionary<ulong, ulong> _types = [];

    public int Count => _types.Count;

    /// <summary>Records that a record of <paramref name="type"/> exists at <paramref name="owner"/>, and that its ancestors down to the apex exist.</summary>
    public void Add(DnsName owner, RecordType type, DnsName? apex)
    {
        var key = Of(owner.Text);
        _types.TryGetValue(key, out var bits);
        _types[key] = bits | Bit(type);
        if (bits != 0 || apex is null || !owner.IsSubdomainOf(apex))
        {
            return;
        }

        // RFC 4592 §2.2.2: the names between the owner and the apex exist even without records of their own.
        for (var name = DnsName.ParentText(owner.Text); name.Length > apex.Text.Length; name = DnsName.ParentText(name))
        {
            if (!_types.TryAdd(Of(name), 0))
            {
                break;
            }
        }
    }

    public bool Contains(DnsName name) => _types.ContainsKey(Of(name.Text));

    public bool Has(DnsName name, RecordType type) => _types.TryGetValue(Of(name.Text), out var bits) && (bits & Bit(type)) != 0;

    /// <summary>The types seen at a name; types above 62 show as one entry, <c>TYPE65535</c> standing for "other".</summary>
    public IReadOnlyList<RecordType> TypesAt(DnsName name)
    {
        if (!_types.TryGetValue(Of(name.Text), out var bits))
        {
            return [];
        }

        return Enumerable.Range(0, 64).Where(bit => (bits & (1UL << bit)) != 0)
            .Select(bit => bit == OtherTypesBit ? new RecordType(ushort.MaxValue) : new RecordType((ushort)bit))
            .ToList();
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
