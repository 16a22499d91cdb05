using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Caa;

/// <summary>A wildcard name whose relevant set has issuewild properties, none of which authorises Amazon.</summary>
public sealed class CAA002_IssueWildForbidsWildcard : CaaRule
{
    protected override string Id => "CAA002";

    protected override string Title => "CAA 'issuewild' records do not allow the CA to issue the wildcard";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "For a wildcard name, 'issuewild' properties replace 'issue' properties when the set has any. None of them authorises the chosen CA, so it must refuse the wildcard even if 'issue' allows it.";

    private const string Decides =
        "{name} is a wildcard, and the CAA records at {holder}{via} have 'issuewild' properties, which alone decide for wildcards: {allowed}. " +
        "None allows {ca} ({identities}), so {ca} will not issue the wildcard";

    private static readonly RuleMessage Forbids = new("forbids", Severity.Error, Decides + ".");

    /// <summary>An 'issue' record allows Amazon, which a person may think is enough: it is not, for a wildcard.</summary>
    private static readonly RuleMessage IssueIgnored = new("issue-ignored", Severity.Error, Decides +
        ", even though an 'issue' record allows {ca}: 'issue' does not count for wildcards once 'issuewild' exists.");

    protected override IReadOnlyList<RuleMessage> Messages => [Forbids, IssueIgnored];

    protected override IReadOnlyList<string> References => ["https://www.rfc-editor.org/rfc/rfc8659#section-4.3", Rfc8659Relevant, AcmCaa];

    protected override ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision, CancellationToken cancellationToken)
    {
        if (set.Status != CaaSetStatus.Found || decision.Permits || !decision.UsesIssueWild || decision.UnknownCritical.Count > 0)
        {
            return ValueTask.FromResult(Enumerable.Empty<Finding>());
        }

        return ValueTask.FromResult<IEnumerable<Finding>>([Forbidding(context, set, decision)]);
    }

    private Finding Forbidding(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision)
    {
        var holder = SetHolder(set);
        var wild = decision.Applicable.Select(r => Describe(r.Value!, "issuewild")).Distinct();
        var issueAllowsAmazon = decision.Readings.Any(r => CaaTags.Is(r.Data.Tag, CaaTags.Issue)
            && r.Value is { IsValid: true, Issuer: { } issuer } && context.Subject.IsCaIdentity(issuer));
        var arguments = new { name = Show(set.Requested), holder = Show(holder), via = Via(set), allowed = string.Join("; ", wild), ca = Ca(context), identities = CaIdentities(context) };
        var remediation = new Remediation($"Add one 'issuewild' record that allows {Ca(context)} at {Show(holder)}; keep the records already there for the CAs you still use",
            [RemediationRecords.Make(RecordAction.Add, holder, RecordType.CAA, IssueValue(context, "issuewild"), ZoneApex(context))]);
        return Report(set.Requested, issueAllowsAmazon ? IssueIgnored : Forbids, arguments, Evidence(set.Records), remediation, set.Records[0].Location);
    }
}
