using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Ttl;

/// <summary>The zone's negative-caching TTL is long: a name looked up before it existed stays "missing" that long.</summary>
public sealed class TTL002_LongNegativeCaching : TtlRule
{
    public static readonly RuleOption MaxNegativeTtl = new("maxNegativeTtl", 3600, 0, 604800, "The longest negative-caching TTL, min(SOA TTL, SOA MINIMUM) in seconds, without a finding.");

    protected override string Id => "TTL002";

    protected override string Title => "Long negative-caching TTL";

    protected override Severity DefaultSeverity => Severity.Notice;

    protected override string Summary =>
        "Resolvers remember that a name does not exist for min(SOA TTL, SOA MINIMUM) seconds (RFC 2308). When that is long (above 3600 s by default; profile threshold 'maxNegativeTtl'; Zonemaster accepts 300–86400 s), a validation record looked up before it was added — by ACM, or by anyone checking — stays invisible to that resolver for that long.";

    protected override IReadOnlyList<RuleOption> Options => [MaxNegativeTtl];

    private static readonly RuleMessage LongNegativeTtl = new("long", Severity.Notice,
        "{zone} tells resolvers to remember \"no such name\" for {negativeTtl} " +
        "(the lower of the SOA's TTL, {soaTtl} s, and its MINIMUM, {minimum} s), above {threshold}. " +
        "A record added after someone — ACM included — looked for it stays invisible to that resolver for up to that long.");

    protected override IReadOnlyList<RuleMessage> Messages => [LongNegativeTtl];

    protected override IReadOnlyList<string> References => [Rfc2308NegativeCaching, "https://github.com/zonemaster/zonemaster/blob/master/docs/public/specifications/tests/Zone-TP/zone06.md"];

    public override async ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken)
    {
        var threshold = Option(context, MaxNegativeTtl);
        // By index, and the list made at the first finding: most zones' negative TTLs are fine.
        List<Finding>? findings = null;
        var zones = await ZoneSoa.For(context, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < zones.Count; i++)
        {
            var zone = zones[i];
            if (zone.NegativeTtl <= threshold)
            {
                continue;
            }

            var soa = zone.Data;
            var arguments = new
            {
                zone = Show(zone.Apex),
                negativeTtl = FixVisibility.Duration(zone.NegativeTtl),
                soaTtl = zone.Record.Ttl,
                minimum = soa.Minimum,
                threshold = FixVisibility.Duration((uint)threshold),
            };
            var fixedSoa = soa with { Minimum = RemediationRecords.SuggestedTtl };
            var remediation = new Remediation(
                $"Lower the SOA MINIMUM of {Show(zone.Apex)} to {RemediationRecords.SuggestedTtl} s (providers that do not let you edit the SOA, such as Cloudflare, choose it themselves)",
                [RemediationRecords.Make(RecordAction.Change, zone.Apex, RecordType.SOA, fixedSoa.ToString(), zone.Apex, zone.Record.Ttl)]);
            (findings ??= []).AddRange(zone.Names.Select(name => Report(name, LongNegativeTtl, arguments, Evidence([zone.Record]), remediation, zone.Record.Location)));
        }

        return findings ?? (IReadOnlyList<Finding>)[];
    }
}
