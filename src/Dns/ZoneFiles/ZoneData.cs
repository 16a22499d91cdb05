using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>
/// The records of one zone indexed by owner name and type, with the structure an authoritative server
/// derives from them: which names exist (empty non-terminals too), where the zone is cut by
/// delegations, and which records lie outside the zone.
/// </summary>
public sealed class ZoneData
{
    private readonly Dictionary<DnsName, List<ResourceRecord>> _byOwner;
    private readonly HashSet<DnsName> _existing;
    private readonly List<DnsName> _delegations;

    private ZoneData(DnsName apex, Dictionary<DnsName, List<ResourceRecord>> byOwner, HashSet<DnsName> existing,
        List<DnsName> delegations, List<ResourceRecord> outOfZone, int recordCount)
    {
        Apex = apex;
        _byOwner = byOwner;
        _existing = existing;
        _delegations = delegations;
        OutOfZone = outOfZone;
        RecordCount = recordCount;
    }

    public DnsName Apex { get; }

    /// <summary>Records whose owner is not at or below the apex; an authoritative server ignores them.</summary>
    public IReadOnlyList<ResourceRecord> OutOfZone { get; }

    public int RecordCount { get; }

    public IEnumerable<DnsName> Owners => _byOwner.Keys;

    /// <summary>Names below the apex that carry NS records: below them, other servers answer.</summary>
    public IReadOnlyList<DnsName> Delegations => _delegations;

    public static ZoneData Build(ParsedZone parsed, DnsName apex)
    {
        var byOwner = new Dictionary<DnsName, List<ResourceRecord>>();
        var outOfZone = new List<ResourceRecord>();
        var count = 0;
        foreach (var record in parsed.Records)
        {
            if (!record.Owner.IsSubdomainOf(apex))
            {
                outOfZone.Add(record);
                continue;
            }

            if (!byOwner.TryGetValue(record.Owner, out var list))
            {
                list = new List<ResourceRecord>(2);
                byOwner.Add(record.Owner, list);
            }

            list.Add(record);
            count++;
        }

        // Every ancestor of an owner, up to the apex, exists as a name (RFC 4592 §2.2.2 empty non-terminals).
        var existing = new HashSet<DnsName>(byOwner.Count * 2);
        foreach (var owner in byOwner.Keys)
        {
            for (var name = owner; existing.Add(name) && name != apex; name = name.Parent)
            {
            }
        }

        existing.Add(apex);
        var delegations = byOwner
            .Where(pair => pair.Key != apex && pair.Value.Any(r => r.Type == RecordType.NS))
            .Select(pair => pair.Key)
            .ToList();
        return new ZoneData(apex, byOwner, existing, delegations, outOfZone, count);
    }

    /// <summary>All records at a name (empty when none).</summary>
    public IReadOnlyList<ResourceRecord> At(DnsName name) =>
        _byOwner.TryGetValue(name, out var list) ? list : [];

    /// <summary>The records of one type at a name, in file order.</summary>
    public IReadOnlyList<ResourceRecord> At(DnsName name, RecordType type)
    {
        if (!_byOwner.TryGetValue(name, out var list))
        {
            return [];
        }

        List<ResourceRecord>? matches = null;
        foreach (var record in list)
        {
            if (record.Type == type)
            {
                (matches ??= []).Add(record);
            }
        }

        return matches ?? (IReadOnlyList<ResourceRecord>)[];
    }

    /// <summary>True when the name has records or names below it (an empty non-terminal).</summary>
    public bool Exists(DnsName name) => _existing.Contains(name);

    /// <summary>The delegation point at or above the name, below the apex; null when the zone answers for it.</summary>
    public DnsName? DelegationCovering(DnsName name)
    {
        if (_delegations.Count == 0)
        {
            return null;
        }

        DnsName? found = null;
        for (var current = name; current != Apex && current.IsSubdomainOf(Apex); current = current.Parent)
        {
            if (_byOwner.TryGetValue(current, out var list) && list.Exists(r => r.Type == RecordType.NS))
            {
                found = current; // keep climbing: the highest cut is the one that takes the name out of this zone
            }
        }

        return found;
    }
}
