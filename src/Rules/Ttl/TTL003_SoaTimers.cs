using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Ttl;

/// <summary>SOA REFRESH, RETRY and EXPIRE that make secondaries stop serving the zone too early.</summary>
public sealed class TTL003_SoaTimers : TtlRule
{
    private const uint MinimumExpire = 604800; // one week (RFC 1912 §2.2 suggests 2–4 weeks)
    private const uint SuggestedRefresh = 3600;
    private const uint SuggestedRetry = 900;
    private const uint SuggestedExpire = 1209600;

    protected override string Id => "TTL003";

    protected override string Title => "SOA timers let secondaries drop the zone";

    protected override Severity DefaultSeverity => Severity.Notice;

    protected override string Summary =>
        "Secondary servers stop answering for a zone (SERVFAIL) when they have not reached the primary for EXPIRE seconds. An EXPIRE below a week, or not above REFRESH + RETRY, or a RETRY not below REFRESH, makes that happen after a short outage — and then ACM's lookups fail.";

    private static readonly RuleMessage Timers = new("timers", Severity.Notice,
        "The SOA of {zone} has timers that let secondary servers stop serving it after a short outage of the primary: {problems}. " +
        "A secondary past EXPIRE answers SERVFAIL, and ACM cannot validate or check CAA through it.");

    protected override IReadOnlyList<RuleMessage> Messages => [Timers];

    protected override IReadOnlyList<string> References => ["https://www.rfc-editor.org/rfc/rfc1912#section-2.2", "https://www.rfc-editor.org/rfc/rfc1035#section-3.3.13"];

    public override async ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken)
    {
        // By index, and the lists made at the first problem: most zones' timers are fine.
        List<Finding>? findings = null;
        var zones = await ZoneSoa.For(context, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < zones.Count; i++)
        {
            var zone = zones[i];
            var soa = zone.Data;
            List<string>? problems = null;
            if (soa.Retry >= soa.Refresh)
            {
                (problems ??= []).Add($"RETRY ({soa.Retry} s) is not below REFRESH ({soa.Refresh} s)");
            }

            if (soa.Expire <= (ulong)soa.Refresh + soa.Retry)
            {
                (problems ??= []).Add($"EXPIRE ({soa.Expire} s) is not above REFRESH + RETRY ({(ulong)soa.Refresh + soa.Retry} s)");
            }

            if (soa.Expire < MinimumExpire)
            {
                (problems ??= []).Add($"EXPIRE ({FixVisibility.Duration(soa.Expire)}) is below one week");
            }

            if (problems is null)
            {
                continue;
            }

            var arguments = new { zone = Show(zone.Apex), problems = string.Join("; ", problems) };
            var better = soa with
            {
                Refresh = soa.Retry >= soa.Refresh ? SuggestedRefresh : soa.Refresh,
                Retry = soa.Retry >= soa.Refresh ? SuggestedRetry : soa.Retry,
                Expire = Math.Max(soa.Expire, SuggestedExpire),
            };
            var remediation = new Remediation($"Use SOA timers such as REFRESH {better.Refresh}, RETRY {better.Retry}, EXPIRE {better.Expire} (where the provider lets you edit the SOA)",
                [RemediationRecords.Make(RecordAction.Change, zone.Apex, RecordType.SOA, better.ToString(), zone.Apex, zone.Record.Ttl)]);
            // The same for every name of the zone: rendered once, not once per name.
            (findings ??= []).AddRange(ForEach(Report(zone.Apex, Timers, arguments, Evidence([zone.Record]), remediation, zone.Record.Location), zone.Names, context));
        }

        return findings ?? (IReadOnlyList<Finding>)[];
    }
}
