using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Validation;

/// <summary>The VAL family: each rule looks at every validation record ACM expects.</summary>
public abstract class ValidationRule : Rule
{
    protected const string AcmDnsValidation = "https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html";
    protected const string AcmTroubleshooting = "https://docs.aws.amazon.com/acm/latest/userguide/troubleshooting-DNS-validation.html";

    protected override string Family => "VAL";

    public override bool AppliesTo(DiagnosisContext context) => context.Subject.Validations.Count > 0;

    public override async ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken)
    {
        // By index, and the list made at the first finding: most diagnoses find nothing here.
        List<Finding>? findings = null;
        var validations = context.Subject.Validations;
        for (var i = 0; i < validations.Count; i++)
        {
            var expected = validations[i];
            var facts = await ValidationFacts.For(context, expected, cancellationToken).ConfigureAwait(false);
            var finding = Check(facts);
            if (finding is not null)
            {
                AddForEachDomain(findings ??= [], finding, expected.Domains);
            }
        }

        return findings ?? (IReadOnlyList<Finding>)[];
    }

    /// <summary>
    /// One finding per certificate name the record validates, so each name's verdict reflects it. A loop apart from the
    /// rule's: a lambda there that used the finding made a closure for every validation, finding or not.
    /// </summary>
    private static void AddForEachDomain(List<Finding> findings, Finding finding, IReadOnlyList<Dns.Names.DnsName> domains)
    {
        for (var i = 0; i < domains.Count; i++)
        {
            findings.Add(finding with { Name = domains[i].Text });
        }
    }

    /// <summary>The finding for one expected record (its Name is replaced per validated domain), or null.</summary>
    protected abstract Finding? Check(ValidationFacts facts);

    protected static RemediationRecord AddExpected(ValidationFacts facts) =>
        RemediationRecords.Make(RecordAction.Add, facts.Expected.Name, RecordType.CNAME, facts.Expected.Value.Text, facts.ZoneApex);

    /// <summary>How the family's messages begin: the record ACM expects, from the arguments {name} and {value} (see <see cref="Expected"/>).</summary>
    protected const string Expects = "ACM expects the CNAME {name} → {value}";

    /// <summary>The expected record's name and value as prose shows them.</summary>
    protected static (string Name, string Value) Expected(ValidationFacts facts) => (Show(facts.Expected.Name), Show(facts.Expected.Value));
}
