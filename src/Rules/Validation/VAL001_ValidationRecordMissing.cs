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

    protected override IReadOnlyList<string> References => [AcmDnsValidation, AcmTroubleshooting];

    protected override Finding? Check(ValidationFacts facts)
    {
        var explainedElsewhere = facts.Doubled is not null || facts.TokenElsewhere.Count > 0 || facts.ValueElsewhere.Count > 0;
        if (facts.Record is not null || facts.OtherData.Count > 0 || facts.NotCheckable || explainedElsewhere)
        {
            return null;
        }

        var message = $"{Expected(facts)}, but {Show(facts.Expected.Name)} does not exist{(facts.Cname.Status == Dns.Views.AnswerStatus.NoData ? " as a CNAME" : "")}. " +
            "Until the record is published, ACM leaves the certificate pending, and it fails after 72 hours.";
        return Report(facts.Expected.Domain, message,
            remediation: new Remediation($"Add the CNAME at {Show(facts.Expected.Name)}", [AddExpected(facts)]));
    }
}
