using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Caa;

/// <summary>A property with the issuer-critical flag and a tag no CA knows: issuance is forbidden to all CAs.</summary>
public sealed class CAA003_UnknownCriticalProperty : CaaRule
{
    protected override string Id => "CAA003";

    protected override string Title => "An unknown CAA property marked critical forbids all issuance";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "A CA that meets a property with the critical flag (128) and a tag it does not understand must not issue (RFC 8659 §4.1). No CA knows this tag, so nobody can issue.";

    private static readonly RuleMessage UnknownCritical = new("unknown-critical", Severity.Error,
        "The CAA record '{record}' at {owner} has the critical flag (128) and the tag '{tag}', which no CA knows. " +
        "A CA must refuse to issue when it meets an unknown critical property, so ACM will not issue for {name}. " +
        "Remove the record, or set its flag to 0 if the tag is meant for one CA's own use.");

    protected override IReadOnlyList<RuleMessage> Messages => [UnknownCritical];

    protected override IReadOnlyList<string> References => [Rfc8659Properties, AcmCaa];

    protected override ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision, CancellationToken cancellationToken)
    {
        if (decision.UnknownCritical.Count == 0)
        {
            return NoFindings;
        }

        return ValueTask.FromResult(Findings(context, set, decision));
    }

    private IEnumerable<Finding> Findings(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision)
    {
        var apex = ZoneApex(context);
        return decision.UnknownCritical.Select(record =>
        {
            var data = (CaaData)record.Data;
            var arguments = new { record = data.ToString(), owner = Show(record.Owner), tag = data.Tag, name = Show(set.Requested) };
            var remediation = new Remediation($"Remove the critical '{data.Tag}' record at {Show(record.Owner)}, or publish it with flag 0",
            [
                RemediationRecords.Remove(record, apex),
                RemediationRecords.Make(RecordAction.Add, record.Owner, RecordType.CAA, new CaaData(0, data.Tag, data.Value).ToString(), apex),
            ]);
            return Report(set.Requested, UnknownCritical, arguments, Evidence([record]), remediation, record.Location);
        });
    }
}
