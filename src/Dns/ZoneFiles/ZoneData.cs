using System.Runtime.InteropServices;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>
/// The records of one zone indexed by owner name and type, with the structure an authoritative server
/// derives from them: which names exist (empty non-terminals too), where the zone is cut by
/// delegations, and which records lie outside the zone.
/// </summary>
/// <remarks>
/// Names are keyed by their canonical text, case-insensitively, so that a parent's text can be looked
/// up as a slice of its child's without making a new name: a zone of a million records is indexed
/// without a million extra allocations.
/// </remarks>
public sealed class ZoneData
{
    private readonly Dictionary<string, Owner> _byOwner;
    private readonly HashSet<string> _emptyNonTerminals;
    private readonly List<DnsName> _delegations;
    private readonly NameFingerprints _others;

    private ZoneData(DnsName apex, Dictionary<string, Owner> byOwner, HashSet<string> emptyNonTerminals, List<DnsName> delegations,
        List<DnsName> cnameOwners, List<DnsName> caaOwners, List<ResourceRecord> outOfZone, int recordCount, NameFingerprints others)
    {
        _others = others;
        Apex = apex;
        _byOwner = byOwner;
        _emptyNonTerminals = emptyNonTerminals;
        _delegations = delegations;
        CnameOwners = cnameOwners;
        CaaOwners = caaOwners;
        OutOfZone = outOfZone;
        RecordCount = recordCount;
    }

    public DnsName Apex { get; }

    /// <summary>Records whose owner is not at or below the apex; an authoritative server ignores them.</summary>
    public IReadOnlyList<ResourceRecord> OutOfZone { get; }

    public int RecordCount { get; }

    public IEnumerable<DnsName> Owners => _byOwner.Values.Select(owner => owner.Name);

    /// <summary>Names below the apex that carry NS records: below them, other servers answer.</summary>
    public IReadOnlyList<DnsName> Delegations => _delegations;

    /// <summary>Names that have a CNAME record, in file order.</summary>
    public IReadOnlyList<DnsName> CnameOwners { get; }

    /// <summary>Names that have a CAA record, in file order.</summary>
    public IReadOnlyList<DnsName> CaaOwners { get; }

    public static ZoneData Build(ParsedZone parsed, DnsName apex)
    {
        var byOwner = new Dictionary<string, Owner>(OwnerRuns(parsed.Records), StringComparer.OrdinalIgnoreCase);
        var outOfZone = new List<ResourceRecord>();
        var delegations = new List<DnsName>();
        var cnameOwners = new List<DnsName>();
        var caaOwners = new List<DnsName>();
        var count = 0;
        DnsName? last = null;
        foreach (var record in parsed.Records)
        {
            // Consecutive records of one owner share the DnsName the parser made, so this is cheap.
            if (last is null || !ReferenceEquals(last, record.Owner) && last != record.Owner)
            {
                if (!record.Owner.IsSubdomainOf(apex))
                {
                    outOfZone.Add(record);
                    continue;
                }

                last = record.Owner;
            }

            ref var owner = ref CollectionsMarshal.GetValueRefOrAddDefault(byOwner, record.Owner.Text, out var known);
            var firstOfType = true;
            owner = known ? owner.Add(record, out firstOfType) : Owner.Of(record);
            count++;

            if (firstOfType)
            {
                (record.Type.Value switch
                {
                    RecordType.Codes.CNAME => cnameOwners,
                    RecordType.Codes.CAA => caaOwners,
                    RecordType.Codes.NS when record.Owner != apex => delegations,
                    _ => null,
                })?.Add(record.Owner);
            }
        }

        return new ZoneData(apex, byOwner, EmptyNonTerminals(byOwner, apex), delegations, cnameOwners, caaOwners, outOfZone, count, parsed.Others);
    }

    /// <summary>
    /// How many times the owner changes from one record to the next: at least the number of owners, and near it
    /// in files grouped by owner, as zone files are. The index is made that large at once: growing it rehashed
    /// every owner again at each doubling (a tenth of indexing a million-record zone).
    /// </summary>
    private static int OwnerRuns(IReadOnlyList<ResourceRecord> records)
    {
        var runs = 0;
        DnsName? last = null;
        for (var i = 0; i < records.Count; i++)
        {
            // Consecutive records of one owner share the DnsName the parser made.
            if (!ReferenceEquals(last, records[i].Owner))
            {
                last = records[i].Owner;
                runs++;
            }
        }

        return runs;
    }

    // RFC 4592 §2.2.2: every ancestor of an owner, up to the apex, exists even without records.
    private static HashSet<string> EmptyNonTerminals(Dictionary<string, Owner> byOwner, DnsName apex)
    {
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var owners = byOwner.GetAlternateLookup<ReadOnlySpan<char>>();
        var known = found.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var text in byOwner.Keys)
        {
            var name = text.AsSpan();
            while (name.Length > apex.Text.Length)
            {
                name = DnsName.ParentText(name);
                if (owners.ContainsKey(name) || !known.Add(name))
                {
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>All kept records at a name (empty when none).</summary>
    public IReadOnlyList<ResourceRecord> At(DnsName name) =>
        _byOwner.TryGetValue(name.Text, out var owner) ? owner.Records : [];

    /// <summary>The records of one type at a name, in file order.</summary>
    public IReadOnlyList<ResourceRecord> At(DnsName name, RecordType type)
    {
        if (!_byOwner.TryGetValue(name.Text, out var owner) || !owner.Has(type))
        {
            return [];
        }

        if (owner.Count == 1)
        {
            // Most owners hold one record: no list for it (every CNAME of a large zone is asked about).
            return owner[0].Type == type ? [owner[0]] : [];
        }

        var matches = new List<ResourceRecord>();
        foreach (var record in owner.Records)
        {
            if (record.Type == type)
            {
                matches.Add(record);
            }
        }

        return matches;
    }

    /// <summary>True when the name has records or names below it (an empty non-terminal).</summary>
    public bool Exists(DnsName name) =>
        name == Apex || _byOwner.ContainsKey(name.Text) || _emptyNonTerminals.Contains(name.Text) || _others.Contains(name);

    /// <summary>True when a record of the type is at the name, kept or not (see <see cref="ZoneParserOptions.Keep"/>).</summary>
    public bool Has(DnsName name, RecordType type) =>
        (_byOwner.TryGetValue(name.Text, out var owner) && owner.Has(type) && owner.Records.Any(r => r.Type == type)) || _others.Has(name, type);

    /// <summary>True when a kept record of the type is at the name (no list is made).</summary>
    public bool HasKept(DnsName name, RecordType type) =>
        _byOwner.TryGetValue(name.Text, out var owner) && owner.Has(type) && owner.Contains(type);

    /// <summary>
    /// The name's CNAME record when its records, kept or not, are that one CNAME and nothing else but DNSSEC's
    /// RRSIG and NSEC, which may join it (RFC 4035 §2.5); null otherwise. No list is made.
    /// </summary>
    public ResourceRecord? LoneCname(DnsName name)
    {
        if (!_byOwner.TryGetValue(name.Text, out var owner) || _others.HasTypesBesides(name, RecordType.RRSIG, RecordType.NSEC))
        {
            return null;
        }

        ResourceRecord? cname = null;
        for (var i = 0; i < owner.Count; i++)
        {
            var record = owner[i];
            if (record.Type == RecordType.CNAME)
            {
                if (cname is not null)
                {
                    return null;
                }

                cname = record;
            }
            else if (record.Type != RecordType.RRSIG && record.Type != RecordType.NSEC)
            {
                return null;
            }
        }

        return cname;
    }

    /// <summary>The types of the records at a name that were read but not kept.</summary>
    public IReadOnlyList<RecordType> UnkeptTypesAt(DnsName name) => _others.TypesAt(name);

    /// <summary>The delegation point at or above the name, below the apex; null when the zone answers for it.</summary>
    public DnsName? DelegationCovering(DnsName name)
    {
        DnsName? found = null;
        foreach (var cut in _delegations)
        {
            // The highest cut is the one that takes the name out of this zone.
            if (name.IsSubdomainOf(cut) && (found is null || found.IsSubdomainOf(cut)))
            {
                found = cut;
            }
        }

        return found;
    }

    /// <summary>
    /// One owner name's records: the record itself when it is the only one (most owners: no object of their
    /// own, which a zone of a million names notices), else <see cref="Several"/>.
    /// </summary>
    private readonly struct Owner
    {
        private readonly object _value;

        private Owner(object value) => _value = value;

        public static Owner Of(ResourceRecord record) => new(record);

        public DnsName Name => _value is ResourceRecord single ? single.Owner : ((Several)_value).Name;

        public IReadOnlyList<ResourceRecord> Records => _value is ResourceRecord single ? [single] : ((Several)_value).Records;

        public int Count => _value is ResourceRecord ? 1 : ((Several)_value).Records.Count;

        public ResourceRecord this[int index] => _value as ResourceRecord ?? ((Several)_value).Records[index];

        /// <summary>False when the owner surely has no record of the type (a bit per type below 64); true otherwise.</summary>
        public bool Has(RecordType type) => type.Value >= 64 || ((_value is ResourceRecord single ? Bit(single.Type) : ((Several)_value).TypeBits) & Bit(type)) != 0;

        public bool Contains(RecordType type)
        {
            for (var i = 0; i < Count; i++)
            {
                if (this[i].Type == type)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The owner with one more record (a new value when the only record gets company).</summary>
        public Owner Add(ResourceRecord record, out bool firstOfType)
        {
            var several = _value as Several ?? new Several((ResourceRecord)_value);
            firstOfType = record.Type.Value >= 64 ? !several.Records.Exists(r => r.Type == record.Type) : (several.TypeBits & Bit(record.Type)) == 0;
            several.Add(record);
            return new Owner(several);
        }

        private static ulong Bit(RecordType type) => type.Value < 64 ? 1UL << type.Value : 0;

        /// <summary>Two records or more at a name, with a bit per type for the common types so lookups can skip the list.</summary>
        private sealed class Several(ResourceRecord first)
        {
            public DnsName Name { get; } = first.Owner;

            public List<ResourceRecord> Records { get; } = [first];

            public ulong TypeBits { get; private set; } = Bit(first.Type);

            public void Add(ResourceRecord record)
            {
                Records.Add(record);
                TypeBits |= Bit(record.Type);
            }
        }
    }
}
