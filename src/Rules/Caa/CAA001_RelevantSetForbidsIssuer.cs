using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Caa;

/// <summary>The relevant CAA set has issue properties, and none of them names one of Amazon's CA identities.</summary>
public sealed class CAA001_RelevantSetForbidsIssuer : CaaRule
{
    protected override string Id => "CAA001";

    protected override string Title => "CAA records do not allow the CA to issue";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "The relevant CAA record set for the name has 'issue' properties, none of which authorises the chosen CA (for ACM: amazon.com, amazontrust.com, awstrust.com or amazonaws.com), so the CA must refuse to issue.";

    private static readonly RuleMessage Forbids = new("forbids", Severity.Error,
        "The CAA records at {holder}{via} decide which CAs may issue for {name}{wildcardNote}. " +
        "They allow only: {allowed}. None of {ca}'s CA names ({identities}) is among them, so {ca} will not issue. " +
        "Add an 'issue' record for {issuer} at {holder} and keep the records already there; records elsewhere do not count, because this set is the first one found climbing from the name.");

    protected override IReadOnlyList<RuleMessage> Messages => [Forbids];

    protected override IReadOnlyList<string> References => [Rfc8659Relevant, Rfc8659Issue, AcmCaa];

    protected override ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision, CancellationToken cancellationToken)
    {
        if (set.Status != CaaSetStatus.Found || decision.Permits || decision.UsesIssueWild || decision.UnknownCritical.Count > 0)
        {
            return ValueTask.FromResult(Enumerable.Empty<Finding>());
        }

        var holder = SetHolder(set);
        var issue = decision.Applicable.ToList();
        var allowed = issue.Select(r => Describe(r.Value!, r.Data.Tag.ToLowerInvariant())).Distinct().ToList();
        var wildcardNote = set.IsWildcard ? " (the name is a wildcard, but the set has no 'issuewild' property, so its 'issue' properties decide)" : "";
        var arguments = new
        {
            holder = Show(holder),
            via = Via(set),
            name = Show(set.Requested),
            wildcardNote,
            allowed = string.Join("; ", allowed),
            ca = Ca(context),
            identities = CaIdentities(context),
            issuer = context.Subject.CaIssuer,
        };

        var apex = ZoneApex(context);
        var records = new List<RemediationRecord>();
        foreach (var broken in issue.Where(r => r.Value is { IsValid: false } v && v.Raw.Contains(context.Subject.CaIssuer.Split('.')[0], StringComparison.OrdinalIgnoreCase)))
        {
            records.Add(RemediationRecords.Remove(broken.Record, apex));
        }

        records.Add(RemediationRecords.Make(RecordAction.Add, holder, RecordType.CAA, IssueValue(context), apex));
        var summary = set.CnameChain.Count > 0
            ? $"The CAA set lives at the CNAME target {Show(holder)}: add the record there (ask whoever runs that zone), or replace the CNAME at {Show(set.CnameChain[0].Owner)}"
            : $"Add one CAA record that allows {Ca(context)} at {Show(holder)}; keep the CAA records already there ({string.Join("; ", allowed)}) for the CAs you still use";
        var finding = Report(set.Requested, Forbids, arguments, Evidence(set.Records), new Remediation(summary, records), set.Records[0].Location);
        return ValueTask.FromResult<IEnumerable<Finding>>([finding]);
    }
}
