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
        "Add an 'issue' record for {issuer} at {holder} and keep the records already there; records elsewhere do not count, because this set is the first one found climbing from the name.{afterFix}");

    protected override IReadOnlyList<RuleMessage> Messages => [Forbids];

    protected override IReadOnlyList<string> References => [Rfc8659Relevant, Rfc8659Issue, AcmCaa];

    protected override ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision, CancellationToken cancellationToken)
    {
        if (set.Status != CaaSetStatus.Found || decision.Permits || decision.UsesIssueWild || decision.UnknownCritical.Count > 0)
        {
            return ValueTask.FromResult(Enumerable.Empty<Finding>());
        }

        return ValueTask.FromResult<IEnumerable<Finding>>([Forbidding(context, set, decision)]);
    }

    private Finding Forbidding(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision)
    {
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
            // ACM checks CAA after validation and never retries a CAA failure; with the certificate given, ACM001 says so.
            afterFix = context.Subject.Certificate is null && context.Subject.CaName == CertificateAuthorities.Amazon.Name
                ? " If ACM already failed a certificate for this name with a CAA error, it will not try again: once the record is visible (see 'visible by'), request a new certificate."
                : "",
        };

        var apex = ZoneApex(context);
        var records = new List<RemediationRecord>();
        var broken = issue.Where(r => r.Value is { IsValid: false } v && v.Raw.Contains(context.Subject.CaIssuer.Split('.')[0], StringComparison.OrdinalIgnoreCase)).ToList();
        records.AddRange(broken.Select(r => RemediationRecords.Remove(r.Record, apex)));
        records.Add(RemediationRecords.Make(RecordAction.Add, holder, RecordType.CAA, IssueValue(context), apex));

        // The records that stay say which CAs the owner still uses: a non-expert told only "add" may replace instead.
        // By reference: `broken` is taken from `issue`, and Except would hash each reading's record and data in full.
        var kept = issue.Where(r => !broken.Exists(b => ReferenceEquals(b, r))).Select(r => $"{r.Data.Tag.ToLowerInvariant()} \"{r.Data.Value}\"").Distinct().ToList();
        var keep = kept.Count > 0 ? $"; keep the CAA records already there ({string.Join(", ", kept)}) for the CAs you still use" : "";
        var inThisZone = apex is not null && holder.IsSubdomainOf(apex);
        var summary = set.CnameChain.Count == 0
            ? $"Add one CAA record that allows {Ca(context)} at {Show(holder)}{keep}"
            : inThisZone
                ? $"{Show(set.CnameChain[0].Owner)} is a CNAME to {Show(holder)} in this zone, whose CAA records decide: add one CAA record that allows {Ca(context)} at {Show(holder)}{keep}"
                : $"The CAA set lives at the CNAME target {Show(holder)}, outside this zone: ask whoever runs that zone to add the record there, or replace the CNAME at {Show(set.CnameChain[0].Owner)}";
        return Report(set.Requested, Forbids, arguments, Evidence(set.Records), new Remediation(summary, records), set.Records[0].Location);
    }
}
