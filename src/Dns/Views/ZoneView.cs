using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Dns.Views;

/// <summary>
/// Answers questions from one zone's data as its authoritative server would: NXDOMAIN versus NODATA,
/// wildcard synthesis (RFC 4592), CNAME chasing inside the zone with a loop limit, and "not checkable"
/// for names outside the zone or below a delegation, whose answers live on other servers.
/// </summary>
public sealed class ZoneView : IDnsView
{
    private readonly ZoneData _zone;

    public ZoneView(ZoneData zone)
    {
        _zone = zone;
    }

    public ZoneData Zone => _zone;

    public string Description => $"zone file for {_zone.Apex.Text}";

    public bool AnswersFromMemory => true;

    public ValueTask<DnsAnswer> QueryAsync(DnsName name, RecordType type, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Resolve(name, type));

    /// <remarks>
    /// Plain loops, and the answer's list made only when there is something in it: every rule asks the view, and a
    /// chain list, a filter closure and an iterator per question were most of what a question allocated.
    /// </remarks>
    public DnsAnswer Resolve(DnsName name, RecordType type)
    {
        // The CNAMEs followed, then the records of the type: made at the first record to put in it.
        List<ResourceRecord>? chain = null;
        var current = name;
        // Made at the first CNAME followed: most questions are answered at the name asked about.
        HashSet<DnsName>? visited = null;
        for (var hop = 0; hop <= ZoneIntegrity.MaxCnameChain; hop++)
        {
            if (!current.IsSubdomainOf(_zone.Apex))
            {
                return new DnsAnswer(name, type, AnswerStatus.NotCheckable, Records(chain), current,
                    $"{current.Text} is outside the zone {_zone.Apex.Text}; its records are served elsewhere");
            }

            if (type == RecordType.DS && current == _zone.Apex && !current.IsRoot)
            {
                return new DnsAnswer(name, type, AnswerStatus.NotCheckable, Records(chain), current,
                    $"the DS records of {current.Text} live in its parent zone, not in the zone itself");
            }

            // The DS set at a zone cut, and the signatures over it, belong to this (the parent) side (RFC 4035 §2.4);
            // everything else there is the child's.
            if (_zone.DelegationCovering(current) is { } cut && !(type.Value is RecordType.Codes.DS or RecordType.Codes.RRSIG && cut == current))
            {
                return new DnsAnswer(name, type, AnswerStatus.NotCheckable, Records(chain), current,
                    $"{current.Text} is at or below the delegation to {cut.Text}, which other servers answer for");
            }

            if (hop > 0 && !(visited ??= [name]).Add(current))
            {
                return new DnsAnswer(name, type, AnswerStatus.Failure, Records(chain), current, $"CNAME loop at {current.Text}") { FailedBecause = FailureKind.BrokenData };
            }

            var records = RecordsAt(current, out var exists);
            if (!exists)
            {
                return new DnsAnswer(name, type, AnswerStatus.NameError, Records(chain), current, Soa: ApexSoa());
            }

            var matched = false;
            ResourceRecord? cname = null;
            for (var i = 0; i < records.Count; i++)
            {
                if (records[i].Type == type)
                {
                    (chain ??= new List<ResourceRecord>(records.Count)).Add(records[i]);
                    matched = true;
                }
                else if (cname is null && records[i].Type == RecordType.CNAME)
                {
                    cname = records[i];
                }
            }

            if (matched)
            {
                return new DnsAnswer(name, type, AnswerStatus.Answer, chain!, current);
            }

            if (cname is null)
            {
                return new DnsAnswer(name, type, AnswerStatus.NoData, Records(chain), current, Soa: ApexSoa());
            }

            (chain ??= []).Add(cname);
            current = ((NameData)cname.Data).Target;
        }

        return new DnsAnswer(name, type, AnswerStatus.Failure, Records(chain), current,
            $"more than {ZoneIntegrity.MaxCnameChain} CNAMEs in a row from {name.Text}")
        { FailedBecause = FailureKind.BrokenData };
    }

    private static IReadOnlyList<ResourceRecord> Records(List<ResourceRecord>? chain) => chain ?? (IReadOnlyList<ResourceRecord>)[];

    private IReadOnlyList<ResourceRecord> RecordsAt(DnsName name, out bool exists)
    {
        if (_zone.Exists(name))
        {
            exists = true;
            return _zone.At(name);
        }

        // RFC 4592 §4.1: the closest encloser's wildcard answers for names that do not exist.
        // The caller checked that the name is inside the zone, so the climb ends at the apex at the latest.
        var encloser = name.Parent;
        while (!_zone.Exists(encloser) && encloser.IsSubdomainOf(_zone.Apex) && encloser != _zone.Apex)
        {
            encloser = encloser.Parent;
        }

        var wildcard = encloser.Prepend("*");
        var synthesized = _zone.At(wildcard);
        exists = synthesized.Count > 0;
        return synthesized.Select(r => r with { Owner = name }).ToList();
    }

    private ResourceRecord? ApexSoa() => _zone.At(_zone.Apex, RecordType.SOA).FirstOrDefault();
}
