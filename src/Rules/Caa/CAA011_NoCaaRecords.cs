using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Caa;

/// <summary>No CAA set anywhere on the climb: CAA does not stand in the way of any CA.</summary>
public sealed class CAA011_NoCaaRecords : CaaRule
{
    protected override string Id => "CAA011";

    protected override string Title => "No CAA records: any CA may issue";

    protected override Severity DefaultSeverity => Severity.Info;

    protected override string Summary =>
        "Without CAA records on the climb from the name, CAA does not restrict issuance: ACM may issue, and so may every other CA. Publishing 'issue \"amazon.com\"' restricts issuance to Amazon (and any CA you add).";

    private const string NotFound = "No CAA records were found for {name} (checked {checkedNames}), so CAA does not stop {ca} from issuing.";

    /// <summary>Every level of the climb was asked (a live or fixture lookup).</summary>
    private static readonly RuleMessage NoneFound = new("none", Severity.Info, NotFound);

    /// <summary>A zone file: the climb stopped at its apex, and the levels above were not asked.</summary>
    private static readonly RuleMessage NoneInZone = new("none-in-zone", Severity.Info, NotFound +
        " The zones above {apex} were not checked (this is a zone file); top-level domains do not publish CAA in practice.");

    protected override IReadOnlyList<RuleMessage> Messages => [NoneFound, NoneInZone];

    protected override IReadOnlyList<string> References => [Rfc8659Relevant, AcmCaa];

    protected override ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision, CancellationToken cancellationToken)
    {
        if (set.Status != CaaSetStatus.None)
        {
            return ValueTask.FromResult(Enumerable.Empty<Finding>());
        }

        var apex = ZoneApex(context);
        var checkedNames = string.Join(", ", set.Checked.Select(Show));
        var target = apex ?? set.Checked.LastOrDefault() ?? set.LookupName;
        var remediation = new Remediation($"Optional: restrict issuance to {Ca(context)} with a CAA record at {Show(target)}",
            [RemediationRecords.Make(RecordAction.Add, target, RecordType.CAA, IssueValue(context), apex)]);
        return ValueTask.FromResult<IEnumerable<Finding>>([apex is null
            ? Report(set.Requested, NoneFound, new { name = Show(set.Requested), checkedNames, ca = Ca(context) }, remediation: remediation)
            : Report(set.Requested, NoneInZone, new { name = Show(set.Requested), checkedNames, apex = Show(apex), ca = Ca(context) }, remediation: remediation)]);
    }
}
