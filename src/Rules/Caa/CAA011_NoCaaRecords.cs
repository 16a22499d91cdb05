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

    protected override IReadOnlyList<string> References => [Rfc8659Relevant, AcmCaa];

    protected override ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision, CancellationToken cancellationToken)
    {
        if (set.Status != CaaSetStatus.None)
        {
            return ValueTask.FromResult(Enumerable.Empty<Finding>());
        }

        var apex = ZoneApex(context);
        var checkedNames = string.Join(", ", set.Checked.Select(Show));
        var parents = apex is null ? "" : $" The zones above {Show(apex)} were not checked (this is a zone file); top-level domains do not publish CAA in practice.";
        var message = $"No CAA records were found for {Show(set.Requested)} (checked {checkedNames}), so CAA does not stop ACM from issuing.{parents}";
        var target = apex ?? set.Checked.LastOrDefault() ?? set.LookupName;
        var remediation = new Remediation($"Optional: restrict issuance to Amazon with a CAA record at {Show(target)}",
            [RemediationRecords.Make(RecordAction.Add, target, RecordType.CAA, "0 issue \"amazon.com\"", apex)]);
        return ValueTask.FromResult<IEnumerable<Finding>>([Report(set.Requested, message, remediation: remediation)]);
    }
}
