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
/// without a million extra allocations. Records are held by their place in <see cref="ParsedZone.Kept"/>, which an
/// audit keeps compactly: a record is made when it is asked for, and the index itself holds none.
/// </remarks>
public sealed class ZoneData
{
    private readonly KeptRecords _records;
    /// <summary>
    /// Every owner, as the place of its first record, compared by its text: 12 bytes an owner, where a dictionary of
    /// owner values was 32 (a varied million-record zone has ~180k owners kept).
    /// </summary>
    private readonly HashSet<int> _firsts;

    /// <summary><see cref="_firsts"/> asked by a name's text.</summary>
    private readonly HashSet<int>.AlternateLookup<ReadOnlySpan<char>> _owners;

    /// <summary>The owners with more than one kept record, by the place of their first (and of their first CNAME, when that is another).</summary>
    private readonly Dictionary<int, Owner.Several> _several;
    private readonly HashSet<string> _emptyNonTerminals;
    private readonly List<DnsName> _delegations;
    private readonly NameFingerprints _others;

    private ZoneData(DnsName apex, KeptRecords records, HashSet<int> firsts, Dictionary<int, Owner.Several> several, HashSet<string> emptyNonTerminals, List<DnsName> delegations,
        List<int> cnameOwners, List<int> caaOwners, List<ResourceRecord> outOfZone, int recordCount, NameFingerprints others)
    {
        _others = others;
        Apex = apex;
        _records = records;
        _firsts = firsts;
        _owners = firsts.GetAlternateLookup<ReadOnlySpan<char>>();
        _several = several;
        _emptyNonTerminals = emptyNonTerminals;
        _delegations = delegations;
        CnameOwners = new RecordOwners(records, cnameOwners);
        CaaOwners = new RecordOwners(records, caaOwners);
        OutOfZone = outOfZone;
        RecordCount = recordCount;
    }

    public DnsName Apex { get; }

    /// <summary>Records whose owner is not at or below the apex; an authoritative server ignores them.</summary>
    public IReadOnlyList<ResourceRecord> OutOfZone { get; }

    public int RecordCount { get; }

    public IEnumerable<DnsName> Owners => _firsts.Select(_records.Owner);

    /// <summary>Names below the apex that carry NS records: below them, other servers answer.</summary>
    public IReadOnlyList<DnsName> Delegations => _delegations;

    /// <summary>Names that have a CNAME record, in file order.</summary>
    public IReadOnlyList<DnsName> CnameOwners { get; }

    /// <summary>Names that have a CAA record, in file order.</summary>
    public IReadOnlyList<DnsName> CaaOwners { get; }

    public static ZoneData Build(ParsedZone parsed, DnsName apex)
    {
        var records = parsed.Kept;
        var firsts = new HashSet<int>(OwnerRuns(records), new OwnerText(records));
        var several = new Dictionary<int, Owner.Several>();
        var outOfZone = new List<ResourceRecord>();
        var delegations = new List<DnsName>();
        var cnameOwners = new List<int>();
        var caaOwners = new List<int>();
        var count = 0;
        var last = -1;
        Span<char> buffer = stackalloc char[DnsName.MaxTextLength + 1];
        for (var i = 0; i < records.Count; i++)
        {
            // Consecutive records of one owner share the text the parser made, so this is cheap.
            if (last < 0 || !records.SharesOwner(last, i))
            {
                if (!DnsName.IsSubdomainOf(records.OwnerChars(i, buffer), records.OwnerLabelCount(i), apex))
                {
                    outOfZone.Add(records[i]);
                    continue;
                }

                last = i;
            }

            var type = records.TypeAt(i);
            var firstOfType = true;
            if (!firsts.Add(i) && firsts.TryGetValue(i, out var first))
            {
                // One more record at a known owner (the second lookup is only for those).
                ref var group = ref CollectionsMarshal.GetValueRefOrAddDefault(several, first, out _);
                group ??= new Owner.Several(first, records);
                firstOfType = group.Add(i, type, records);
                if (firstOfType && type == RecordType.CNAME)
                {
                    // CnameOwners hold the place of a name's first CNAME, which is not its first record here: the name's
                    // records are found from that place too (CnamesWhere). A CNAME beside other records is rare.
                    several[i] = several[first];
                }
            }

            count++;

            if (firstOfType)
            {
                switch (type.Value)
                {
                    case RecordType.Codes.CNAME:
                        cnameOwners.Add(i);
                        break;
                    case RecordType.Codes.CAA:
                        caaOwners.Add(i);
                        break;
                    case RecordType.Codes.NS when !records.OwnerChars(i, buffer).Equals(apex.Text, StringComparison.OrdinalIgnoreCase):
                        delegations.Add(records.Owner(i));
                        break;
                }
            }
        }

        return new ZoneData(apex, records, firsts, several, EmptyNonTerminals(firsts, records, apex), delegations, cnameOwners, caaOwners, outOfZone, count, parsed.Others);
    }

    /// <summary>
    /// How many times the owner changes from one record to the next: at least the number of owners, and near it
    /// in files grouped by owner, as zone files are. The index is made that large at once: growing it rehashed
    /// every owner again at each doubling (a tenth of indexing a million-record zone).
    /// </summary>
    private static int OwnerRuns(KeptRecords records)
    {
        var runs = records.Count > 0 ? 1 : 0;
        for (var i = 1; i < records.Count; i++)
        {
            // Consecutive records of one owner share the text the parser made.
            if (!records.SharesOwner(i - 1, i))
            {
                runs++;
            }
        }

        return runs;
    }

    // RFC 4592 §2.2.2: every ancestor of an owner, up to the apex, exists even without records.
    private static HashSet<string> EmptyNonTerminals(HashSet<int> firsts, KeptRecords records, DnsName apex)
    {
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var owners = firsts.GetAlternateLookup<ReadOnlySpan<char>>();
        var known = found.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> buffer = stackalloc char[DnsName.MaxTextLength + 1];
        foreach (var place in firsts)
        {
            var name = records.OwnerChars(place, buffer);
            while (name.Length > apex.Text.Length)
            {
                name = DnsName.ParentText(name);
                if (owners.Contains(name) || !known.Add(name))
                {
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>All kept records at a name (empty when none).</summary>
    public IReadOnlyList<ResourceRecord> At(DnsName name) =>
        TryOwner(name, out var owner) ? owner.Records(_records) : [];

    /// <summary>The records of one type at a name, in file order.</summary>
    public IReadOnlyList<ResourceRecord> At(DnsName name, RecordType type)
    {
        if (!TryOwner(name, out var owner) || !owner.Has(type, _records))
        {
            return [];
        }

        if (owner.Count == 1)
        {
            // Most owners hold one record: no list for it (every CNAME of a large zone is asked about).
            return _records.TypeAt(owner[0]) == type ? [_records[owner[0]]] : [];
        }

        var matches = new List<ResourceRecord>();
        for (var i = 0; i < owner.Count; i++)
        {
            if (_records.TypeAt(owner[i]) == type)
            {
                matches.Add(_records[owner[i]]);
            }
        }

        return matches;
    }

    /// <summary>A test of a name given as its canonical text and its number of labels, without a name object.</summary>
    public delegate bool NameTextTest(ReadOnlySpan<char> text, int labelCount);

    /// <summary>
    /// The owners whose text passes the test, in no particular order. An audit holds its records compactly: only the
    /// owners that pass are made, where <see cref="Owners"/> makes every one.
    /// </summary>
    public IReadOnlyList<DnsName> OwnersWhere(NameTextTest test) => OwnersAt(_firsts, test);

    /// <summary><see cref="CnameOwners"/> that pass the test, in file order, made only for them.</summary>
    public IReadOnlyList<DnsName> CnameOwnersWhere(NameTextTest test) => OwnersAt(((RecordOwners)CnameOwners).Places, test);

    /// <summary>The owners of the records at <paramref name="places"/> whose text passes the test, in that order.</summary>
    private List<DnsName> OwnersAt(IEnumerable<int> places, NameTextTest test)
    {
        var found = new List<DnsName>();
        var buffer = NameBuffer();
        foreach (var place in places)
        {
            if (test(_records.OwnerChars(place, buffer), _records.OwnerLabelCount(place)))
            {
                found.Add(_records.Owner(place));
            }
        }

        return found;
    }

    /// <summary>
    /// The CNAME records whose target passes the test, owner by owner as <see cref="CnameOwners"/> lists them and each
    /// owner's in file order (as <see cref="At(DnsName, RecordType)"/> of each owner gives them), made only for them.
    /// </summary>
    public IReadOnlyList<ResourceRecord> CnamesWhere(NameTextTest target)
    {
        var found = new List<ResourceRecord>();
        var buffer = NameBuffer();
        foreach (var first in ((RecordOwners)CnameOwners).Places)
        {
            var owner = new Owner(first, _several.GetValueOrDefault(first));
            for (var i = 0; i < owner.Count; i++)
            {
                var place = owner[i];
                if (_records.TypeAt(place) == RecordType.CNAME && _records.TargetChars(place, buffer, out var labels) is { IsEmpty: false } text
                    && target(text, labels))
                {
                    found.Add(_records[place]);
                }
            }
        }

        return found;
    }

    /// <summary>
    /// <see cref="CnameOwners"/> whose CNAME needs a closer look, in that order: the name has other records (kept or not,
    /// besides DNSSEC's RRSIG and NSEC) or more than one CNAME, or the CNAME points at its own name or at a name with a
    /// kept CNAME. Almost every CNAME stands alone and points at a name that is not a CNAME: that is settled from the
    /// stored text, and only the others are made.
    /// </summary>
    public IReadOnlyList<DnsName> CnameOwnersToFollow()
    {
        var places = ((RecordOwners)CnameOwners).Places;
        if (places.Count < CnamesInTwoHalvesFrom)
        {
            return CnameOwnersToFollow(places, 0, places.Count);
        }

        // Two lookups of stored text and one of the names not kept, per CNAME: ~0.1 s for the 166k CNAMEs of a varied
        // 1M-record zone on one core. Read-only, so each half on its own core; the halves keep the file's order.
        var half = places.Count / 2;
        IReadOnlyList<DnsName> first = [], second = [];
        Parallel.Invoke(() => first = CnameOwnersToFollow(places, 0, half), () => second = CnameOwnersToFollow(places, half, places.Count));
        return [.. first, .. second];
    }

    /// <summary>CNAMEs from this many on are looked at in two halves at once.</summary>
    internal const int CnamesInTwoHalvesFrom = 16 * 1024;

    private List<DnsName> CnameOwnersToFollow(List<int> places, int from, int to)
    {
        var found = new List<DnsName>();
        var owner = NameBuffer();
        var target = NameBuffer();
        for (var i = from; i < to; i++)
        {
            if (!IsPlainCname(places[i], owner, target))
            {
                found.Add(_records.Owner(places[i]));
            }
        }

        return found;
    }

    /// <summary>Room for a name's text read from a compact record; none when every record is held whole (their names are strings already).</summary>
    private char[] NameBuffer() => _records.IsCompact ? new char[DnsName.MaxTextLength + 1] : [];

    /// <summary>True when the CNAME at <paramref name="place"/> stands alone and points at another name without a kept CNAME (or at no name).</summary>
    private bool IsPlainCname(int place, char[] ownerBuffer, char[] targetBuffer)
    {
        var ownerText = _records.OwnerChars(place, ownerBuffer);
        if (!_owners.TryGetValue(ownerText, out var first))
        {
            return false;
        }

        var owner = new Owner(first, _several.Count == 0 ? null : _several.GetValueOrDefault(first));
        for (var i = 0; i < owner.Count; i++)
        {
            var type = _records.TypeAt(owner[i]);
            if (type == RecordType.CNAME ? owner[i] != place : type != RecordType.RRSIG && type != RecordType.NSEC)
            {
                return false;
            }
        }

        if (_others.HasTypesBesides(ownerText, RecordType.RRSIG, RecordType.NSEC))
        {
            return false;
        }

        var target = _records.TargetChars(place, targetBuffer, out _);
        if (target.IsEmpty)
        {
            // Its data is not one name (an unknown-format CNAME): there is nothing to follow.
            return true;
        }

        if (target.Equals(ownerText, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return !_owners.TryGetValue(target, out var pointedAt) || !new Owner(pointedAt, _several.Count == 0 ? null : _several.GetValueOrDefault(pointedAt)).Contains(RecordType.CNAME, _records);
    }

    /// <summary>True when the name has records or names below it (an empty non-terminal).</summary>
    public bool Exists(DnsName name) =>
        name == Apex || _owners.Contains(name.Text) || _emptyNonTerminals.Contains(name.Text) || _others.Contains(name);

    /// <summary>True when a record of the type is at the name, kept or not (see <see cref="ZoneParserOptions.Keep"/>).</summary>
    public bool Has(DnsName name, RecordType type) => HasKept(name, type) || _others.Has(name, type);

    /// <summary>True when a kept record of the type is at the name (no list is made).</summary>
    public bool HasKept(DnsName name, RecordType type) =>
        TryOwner(name, out var owner) && owner.Has(type, _records) && owner.Contains(type, _records);

    /// <summary>
    /// The name's CNAME record when its records, kept or not, are that one CNAME and nothing else but DNSSEC's
    /// RRSIG and NSEC, which may join it (RFC 4035 §2.5); null otherwise. No list is made.
    /// </summary>
    public ResourceRecord? LoneCname(DnsName name)
    {
        if (!TryOwner(name, out var owner) || _others.HasTypesBesides(name, RecordType.RRSIG, RecordType.NSEC))
        {
            return null;
        }

        var cname = -1;
        for (var i = 0; i < owner.Count; i++)
        {
            var type = _records.TypeAt(owner[i]);
            if (type == RecordType.CNAME)
            {
                if (cname >= 0)
                {
                    return null;
                }

                cname = owner[i];
            }
            else if (type != RecordType.RRSIG && type != RecordType.NSEC)
            {
                return null;
            }
        }

        return cname >= 0 ? _records[cname] : null;
    }

    private bool TryOwner(DnsName name, out Owner owner)
    {
        if (!_owners.TryGetValue(name.Text, out var first))
        {
            owner = default;
            return false;
        }

        owner = new Owner(first, _several.Count == 0 ? null : _several.GetValueOrDefault(first));
        return true;
    }

    /// <summary>True when a record that was read but not kept is at the name or below it (<see cref="ZoneParserOptions.Keep"/>).</summary>
    public bool HasUnkeptAtOrBelow(DnsName name) => _others.Contains(name);

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
    /// Owners keyed by the place of their first record and compared by its owner's text, without case (RFC 4343): the
    /// index holds no string of its own, and is asked by a name's text.
    /// </summary>
    private sealed class OwnerText(KeptRecords records) : IEqualityComparer<int>, IAlternateEqualityComparer<ReadOnlySpan<char>, int>
    {
        public bool Equals(int x, int y)
        {
            if (x == y || records.SharesOwner(x, y))
            {
                return true;
            }

            Span<char> first = stackalloc char[records.OwnerLength(x)];
            return Equals(records.OwnerChars(x, first), y);
        }

        public int GetHashCode(int place)
        {
            Span<char> text = stackalloc char[records.OwnerLength(place)];
            return GetHashCode(records.OwnerChars(place, text));
        }

        public bool Equals(ReadOnlySpan<char> alternate, int other)
        {
            if (alternate.Length != records.OwnerLength(other))
            {
                return false;
            }

            Span<char> text = stackalloc char[alternate.Length];
            return alternate.Equals(records.OwnerChars(other, text), StringComparison.OrdinalIgnoreCase);
        }

        // Randomised per process, as a string key's hash is: owner names are input, and must not be able to collide on purpose.
        public int GetHashCode(ReadOnlySpan<char> alternate) => string.GetHashCode(alternate, StringComparison.OrdinalIgnoreCase);

        /// <summary>Owners are added by place, never by text.</summary>
        public int Create(ReadOnlySpan<char> alternate) => throw new NotSupportedException("owners are added by the place of their record");
    }

    /// <summary>The owners of the records at the places given, made as they are read (an audit's CNAME owners are many).</summary>
    private sealed class RecordOwners(KeptRecords records, List<int> places) : IReadOnlyList<DnsName>
    {
        public List<int> Places => places;

        public DnsName this[int index] => records.Owner(places[index]);

        public int Count => places.Count;

        public IEnumerator<DnsName> GetEnumerator()
        {
            for (var i = 0; i < places.Count; i++)
            {
                yield return records.Owner(places[i]);
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>
    /// One owner name's records, by their places in <see cref="KeptRecords"/>: the place of the only record (most owners:
    /// no object of their own, which a zone of a million names notices), else <see cref="Several"/>.
    /// </summary>
    private readonly struct Owner(int first, Owner.Several? several)
    {
        public int Count => several?.Places.Count ?? 1;

        /// <summary>The place of the owner's <paramref name="index"/>th record.</summary>
        public int this[int index] => several?.Places[index] ?? first;

        public IReadOnlyList<ResourceRecord> Records(KeptRecords records) => several is { } group ? group.Records(records) : [records[first]];

        /// <summary>False when the owner surely has no record of the type (a bit per type below 64); true otherwise.</summary>
        public bool Has(RecordType type, KeptRecords records) =>
            type.Value >= 64 || ((several?.TypeBits ?? Bit(records.TypeAt(first))) & Bit(type)) != 0;

        public bool Contains(RecordType type, KeptRecords records)
        {
            for (var i = 0; i < Count; i++)
            {
                if (records.TypeAt(this[i]) == type)
                {
                    return true;
                }
            }

            return false;
        }

        private static ulong Bit(RecordType type) => type.Value < 64 ? 1UL << type.Value : 0;

        /// <summary>Two records or more at a name, with a bit per type for the common types so lookups can skip the list.</summary>
        public sealed class Several
        {
            /// <summary>The records themselves when they are held whole (they are then shared, and one list serves every read).</summary>
            private readonly List<ResourceRecord>? _whole;

            public Several(int first, KeptRecords records)
            {
                Places = [first];
                TypeBits = Bit(records.TypeAt(first));
                _whole = records.IsCompact ? null : [records[first]];
            }

            public List<int> Places { get; }

            public ulong TypeBits { get; private set; }

            public IReadOnlyList<ResourceRecord> Records(KeptRecords records)
            {
                if (_whole is not null)
                {
                    return _whole;
                }

                var made = new List<ResourceRecord>(Places.Count);
                foreach (var place in Places)
                {
                    made.Add(records[place]);
                }

                return made;
            }

            /// <summary>Adds the record at <paramref name="place"/>; true when it is the owner's first of its type.</summary>
            public bool Add(int place, RecordType type, KeptRecords records)
            {
                var firstOfType = type.Value >= 64 ? !Places.Exists(at => records.TypeAt(at) == type) : (TypeBits & Bit(type)) == 0;
                Places.Add(place);
                _whole?.Add(records[place]);
                TypeBits |= Bit(type);
                return firstOfType;
            }
        }
    }
}
