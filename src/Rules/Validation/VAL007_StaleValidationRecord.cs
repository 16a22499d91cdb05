using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Validation;

/// <summary>ACM validation CNAMEs in the zone for names that are not on the certificate being diagnosed.</summary>
public sealed class VAL007_StaleValidationRecord : Rule
{
    protected override string Id => "VAL007";

    protected override string Title => "A validation CNAME for a name not on this certificate";

    protected override string Family => "VAL";

    protected override Severity DefaultSeverity => Severity.Info;

    protected override string Summary =>
        "The zone has ACM validation CNAMEs for names that are not on the certificate being diagnosed: left from an earlier certificate or for another one. They do no harm; ACM uses them to renew the certificates they belong to, so delete one only when no certificate needs it.";

    private static readonly RuleMessage OtherCertificate = new("other-certificate", Severity.Info,
        "{record} is an ACM validation record for {domain}, which is not on this certificate. " +
        "It is harmless; keep it if another certificate (or its renewal) still uses it.");

    protected override IReadOnlyList<RuleMessage> Messages => [OtherCertificate];

    protected override IReadOnlyList<string> References => ["https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html"];

    public override bool AppliesTo(DiagnosisContext context) => context.Zone is not null && context.Subject.Validations.Count > 0;

    public override ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken)
    {
        var zone = context.Zone!.Data;
        // A record carrying one of this certificate's tokens is a misplaced copy (VAL002/VAL003), not a stale one.
        var tokens = context.Subject.Validations.Select(v => v.Token).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var certified = context.Subject.Names.Select(n => n.IsWildcard ? n.Parent : n)
            .Concat(context.Subject.Validations.SelectMany(v => v.Domains).Select(n => n.IsWildcard ? n.Parent : n))
            .ToHashSet();
        var findings = zone.CnameOwners
            .Where(owner => ExpectedValidation.HasAcmToken(owner) && !tokens.Contains(owner.FirstLabel) && !certified.Contains(owner.Parent))
            .SelectMany(owner => zone.At(owner, RecordType.CNAME))
            .Where(record => ((NameData)record.Data).Target.Text.EndsWith(".acm-validations.aws.", StringComparison.OrdinalIgnoreCase))
            .Select(record => Report(record.Owner.Parent, OtherCertificate, new { record = Show(record.Owner), domain = Show(record.Owner.Parent) },
                [record.ToZoneLine()], location: record.Location))
            .ToList();
        return ValueTask.FromResult<IReadOnlyList<Finding>>(findings);
    }
}
