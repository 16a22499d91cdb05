using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;

namespace RulesApi.Rules.Validation;

/// <summary>Nothing at the validation name, and nothing that looks like a misplaced copy anywhere else.</summary>
public sealed class VAL001_ValidationRecordMissing : ValidationRule
{
    protected override string Id => "VAL001";

    protected override string Title => "The validation CNAME is missing";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "There is no record at the name ACM gave for DNS validation, and no misplaced copy of it either. ACM keeps the certificate in 'Pending validation' until the CNAME appears, and gives up after 72 hours.";

    private const string Pending = "Until the record is published, ACM leaves the certificate pending, and it fails after 72 hours.";

    /// <summary>The name does not exist at all.</summary>
    private static readonly RuleMessage Missing = new("missing", Severity.Error, Expects + ", but {name} does not exist. " + Pending);

    /// <summary>The name exists (it has names below it, say), but has no CNAME.</summary>
    private static readonly RuleMessage NoCname = new("no-cname", Severity.Error, Expects + ", but {name} does not exist as a CNAME. " + Pending);

    protected override IReadOnlyList<RuleMessage> Messages => [Missing, NoCname];

    protected override IReadOnlyList<string> References => [AcmDnsValidation, AcmTroubleshooting];

    protected override Finding? Check(ValidationFacts facts)
    {
        var explainedElsewhere = facts.Doubled is not null || facts.TokenElsewhere.Count > 0 || facts.ValueElsewhere.Count > 0;
        if (facts.Record is not null || facts.OtherData.Count > 0 || facts.NotCheckable || explainedElsewhere)
        {
            return null;
        }

        var (name, value) = Expected(facts);
        return Report(facts.Expected.Domain, facts.Cname.Status == Dns.Views.AnswerStatus.NoData ? NoCname : Missing, new { name, value },
            remediation: new Remediation($"Add the CNAME at {Show(facts.Expected.Name)}", [AddExpected(facts)]));
    }
}
