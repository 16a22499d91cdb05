using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

public enum ZoneProblemKind
{
    SoaCount,
    SoaNotAtApex,
    MissingApexNs,
    CnameAndOtherData,
    CnameLoop,
    OutOfZone,
    NsTargetWithoutAddress,
    DsAtApex,
}

/// <summary>A structural problem of a zone, found after parsing (the checks <c>named-checkzone</c> makes, and a few more).</summary>
public sealed record ZoneProblem(ZoneProblemKind Kind, DiagnosticSeverity Severity, DnsName Name, SourceLocation? Location, string Message, IReadOnlyList<ResourceRecord> Records);

/// <summary>Checks the structure of a parsed zone: SOA and NS at the apex, CNAME exclusivity, loops, stray data.</summary>
public static class ZoneIntegrity
{
    /// <summary>A chain longer than this is treated as a loop, as resolvers give up too (BIND follows 16 CNAMEs).</summary>
    public const int MaxCnameChain = 16;

    public static IReadOnlyList<ZoneProblem> Check(ParsedZone parsed, ZoneData zone)
    {
        var problems = new List<ZoneProblem>();
        CheckSoa(parsed, zone, problems);
        CheckApexNs(zone, problems);
        CheckCnames(zone, problems);
        foreach (var record in zone.OutOfZone)
        {
            problems.Add(new ZoneProblem(ZoneProblemKind.OutOfZone, DiagnosticSeverity.Warning, record.Owner, record.Location,
                $"{record.Owner.Text} is not inside the zone {zone.Apex.Text}, so no server answers with this record (BIND ignores it)", [record]));
        }

        return problems;
    }

    private static void CheckSoa(ParsedZone parsed, ZoneData zone, List<ZoneProblem> problems)
    {
        // By type first: an audit holds its CNAMEs compactly, and reading every record would make each one.
        var soas = new List<ResourceRecord>();
        for (var i = 0; i < parsed.Kept.Count; i++)
        {
            if (parsed.Kept.TypeAt(i) == RecordType.SOA)
            {
                soas.Add(parsed.Kept[i]);
            }
        }

        var misplaced = soas.Where(r => r.Owner != zone.Apex).ToList();
        foreach (var soa in misplaced)
        {
            problems.Add(new ZoneProblem(ZoneProblemKind.SoaNotAtApex, DiagnosticSeverity.Error, soa.Owner, soa.Location,
                $"an SOA record belongs only at the zone's apex {zone.Apex.Text}, not at {soa.Owner.Text}", [soa]));
        }

        var atApex = soas.Count - misplaced.Count;
        if (atApex == 0)
        {
            problems.Add(new ZoneProblem(ZoneProblemKind.SoaCount, DiagnosticSeverity.Error, zone.Apex, null,
                $"the zone has no SOA record at its apex {zone.Apex.Text}; every zone starts with exactly one", []));
        }
        else if (atApex > 1)
        {
            var apexSoas = soas.Where(r => r.Owner == zone.Apex).ToList();
            problems.Add(new ZoneProblem(ZoneProblemKind.SoaCount, DiagnosticSeverity.Error, zone.Apex, apexSoas[1].Location,
                $"the zone has {atApex} SOA records at its apex; it must have exactly one", apexSoas));
        }
    }

    private static void CheckApexNs(ZoneData zone, List<ZoneProblem> problems)
    {
        var apexNs = zone.At(zone.Apex, RecordType.NS);
        if (apexNs.Count == 0)
        {
            problems.Add(new ZoneProblem(ZoneProblemKind.MissingApexNs, DiagnosticSeverity.Error, zone.Apex, null,
                $"the zone has no NS records at its apex {zone.Apex.Text}; they name the servers that answer for it", []));
        }

        foreach (var owner in zone.Delegations.Prepend(zone.Apex))
        {
            foreach (var ns in zone.At(owner, RecordType.NS))
            {
                // The parser gives every NS record its name; a record from elsewhere without one has nothing to check.
                if (ns.Data is NameData { Target: var target } && target.IsSubdomainOf(zone.Apex) && !zone.Has(target, RecordType.A) && !zone.Has(target, RecordType.AAAA))
                {
                    problems.Add(new ZoneProblem(ZoneProblemKind.NsTargetWithoutAddress, DiagnosticSeverity.Error, owner, ns.Location,
                        $"the name server {target.Text} is inside this zone but has no A or AAAA record, so nobody can reach it", [ns]));
                }
            }
        }

        foreach (var ds in zone.At(zone.Apex, RecordType.DS))
        {
            problems.Add(new ZoneProblem(ZoneProblemKind.DsAtApex, DiagnosticSeverity.Error, zone.Apex, ds.Location,
                "a DS record belongs in the parent zone (at the registrar), not at this zone's apex", [ds]));
        }
    }

    private static void CheckCnames(ZoneData zone, List<ZoneProblem> problems)
    {
        // Almost every CNAME stands alone and points at a name that is not a CNAME: the zone settles that from its
        // stored text, and only the others are looked at here (a zone may have hundreds of thousands of CNAMEs).
        foreach (var owner in zone.CnameOwnersToFollow())
        {
            var records = zone.At(owner);
            var cnames = records.Where(r => r.Type == RecordType.CNAME).ToList();

            // RFC 1034 §3.6.2 and RFC 2181 §10.1: a CNAME stands alone; DNSSEC's RRSIG and NSEC may join it (RFC 4035 §2.5).
            var others = records.Where(r => r.Type != RecordType.CNAME && r.Type != RecordType.RRSIG && r.Type != RecordType.NSEC).ToList();
            var unkept = zone.UnkeptTypesAt(owner).Where(t => t != RecordType.RRSIG && t != RecordType.NSEC).ToList();
            if (others.Count > 0 || unkept.Count > 0 || cnames.Count > 1)
            {
                var culprit = records.Skip(1).FirstOrDefault(r => r.Type == RecordType.CNAME || others.Contains(r)) ?? records[0];
                var types = others.Select(r => r.Type).Concat(unkept).Select(t => t.Value == ushort.MaxValue ? "others" : t.ToString()).Distinct();
                var what = others.Count > 0 || unkept.Count > 0
                    ? $"{owner.Text} has a CNAME and other records ({string.Join(", ", types)}); a CNAME must be the only record at its name"
                    : $"{owner.Text} has {cnames.Count} CNAME records; a name can have only one";
                problems.Add(new ZoneProblem(ZoneProblemKind.CnameAndOtherData, DiagnosticSeverity.Error, owner, culprit.Location, what, records.ToList()));
            }

            // Report a loop once, from its first name in sort order, rather than from every name on it.
            var chain = FollowCnames(zone, owner);
            if (chain.Loops && chain.Names[^1] == owner && chain.Names.Skip(1).All(n => n.CompareTo(owner) >= 0))
            {
                problems.Add(new ZoneProblem(ZoneProblemKind.CnameLoop, DiagnosticSeverity.Warning, owner, cnames[0].Location,
                    $"following CNAMEs from {owner.Text} never ends: {string.Join(" → ", chain.Names.Select(n => n.Text))}", cnames));
            }
        }
    }

    /// <summary>Follows CNAMEs inside the zone from a name; reports the names visited and whether they loop.</summary>
    public static (IReadOnlyList<DnsName> Names, bool Loops) FollowCnames(ZoneData zone, DnsName start)
    {
        var names = new List<DnsName> { start };
        var current = start;
        for (var hop = 0; hop < MaxCnameChain; hop++)
        {
            var cname = zone.At(current, RecordType.CNAME);
            if (cname.Count == 0)
            {
                return (names, false);
            }

            if (cname[0].Data is not NameData { Target: var next })
            {
                return (names, false);
            }

            current = next;
            var seen = names.Contains(current);
            names.Add(current);
            if (seen)
            {
                return (names, true);
            }
        }

        return (names, zone.At(current, RecordType.CNAME).Count > 0);
    }
}
