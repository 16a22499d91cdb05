using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Validation;

/// <summary>In a zone audit: a CNAME named like an ACM validation record whose value does not have ACM's shape.</summary>
public sealed class VAL008_ValueNotShapedLikeAcm : Rule
{
    protected override string Id => "VAL008";

    protected override string Title => "An ACM-style validation CNAME has a value ACM would not give";

    protected override string Family => "VAL";

    protected override Severity DefaultSeverity => Severity.Warning;

    protected override string Summary =>
        "ACM's validation values look like _<32 hex>.<10 letters>.acm-validations.aws. A CNAME named _<32 hex>.<domain> whose value differs from that shape was probably mistyped, truncated, or had the zone appended by the provider.";

    private const string NotShaped =
        "{record} is named like an ACM validation record, but its value {target} does not have ACM's shape (_<32 hex>.<10 letters>.acm-validations.aws).";

    private const string Compare = " Compare it with the value ACM shows for the certificate.";

    private static readonly RuleMessage NotAcmShaped = new("not-acm-shaped", Severity.Warning, NotShaped + Compare);

    /// <summary>The value is ACM's with the zone appended: the provider read it as a name inside the zone.</summary>
    private static readonly RuleMessage ZoneAppended = new("zone-appended", Severity.Warning, NotShaped +
        " The zone name was appended to it: the provider read the value as a name inside {zone}." + Compare);

    protected override IReadOnlyList<RuleMessage> Messages => [NotAcmShaped, ZoneAppended];

    protected override IReadOnlyList<string> References => ["https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html"];

    public override bool AppliesTo(DiagnosisContext context) => context.Zone is not null && context.Subject.Validations.Count == 0;

    public override ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken)
    {
        var zone = context.Zone!.Data;
        var findings = zone.CnameOwnersWhere(static (text, _) => ExpectedValidation.HasAcmToken(text))
            .SelectMany(owner => zone.At(owner, RecordType.CNAME))
            .Where(record => !ExpectedValidation.IsAcmShapedValue(((NameData)record.Data).Target))
            .Select(record =>
            {
                var target = ((NameData)record.Data).Target;
                return target.Text.EndsWith(".acm-validations.aws." + zone.Apex.Text, StringComparison.OrdinalIgnoreCase)
                    ? Report(record.Owner.Parent, ZoneAppended, new { record = Show(record.Owner), target = Show(target), zone = Show(zone.Apex) },
                        [record.ToZoneLine()], ValueAsGiven(record, target, zone.Apex), record.Location)
                    : Report(record.Owner.Parent, NotAcmShaped, new { record = Show(record.Owner), target = Show(target) },
                        [record.ToZoneLine()], location: record.Location);
            })
            .ToList();
        return ValueTask.FromResult<IReadOnlyList<Finding>>(findings);
    }

    /// <summary>The record again with the value ACM gave: the appended zone taken off, the final dot kept.</summary>
    private static Remediation ValueAsGiven(ResourceRecord record, Dns.Names.DnsName target, Dns.Names.DnsName apex)
    {
        var value = target.Text[..^apex.Text.Length];
        return new Remediation($"Set the value to {value} — with its final dot, or as the provider's form shows it",
            [RemediationRecords.Remove(record, apex), RemediationRecords.Make(RecordAction.Add, record.Owner, RecordType.CNAME, value, apex)]);
    }
}
