using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;

namespace RulesApi.Rules.Acm;

/// <summary>A name validated by e-mail or HTTP: DNS records do not take part, and this service cannot check it.</summary>
public sealed class ACM003_NotDnsValidated : AcmRule
{
    protected override string Id => "ACM003";

    protected override string Title => "A name is validated by e-mail or HTTP, not DNS";

    protected override Severity DefaultSeverity => Severity.Notice;

    protected override string Summary =>
        "With EMAIL (or HTTP) validation, ACM waits for a click on an approval e-mail (or a file served over HTTP); no DNS record is involved, so DNS findings cannot explain a pending state for that name.";

    private static readonly RuleMessage NotDns = new("not-dns", Severity.Notice,
        "{name} is validated by {method} (status {status}), not by DNS. " +
        "No DNS record makes that validation pass; for e-mail, someone must approve the message ACM sent. To use DNS validation, request a new certificate with ValidationMethod DNS.");

    protected override IReadOnlyList<RuleMessage> Messages => [NotDns];

    protected override IReadOnlyList<string> References => ["https://docs.aws.amazon.com/acm/latest/userguide/email-validation.html", DescribeCertificate];

    protected override IEnumerable<Finding> Check(AcmCertificate certificate) =>
        certificate.DomainValidationOptions
            .Where(o => o.ValidationMethod is { } method && !Is(method, "DNS"))
            .Select(o => Report(o.DomainName, NotDns, new { name = Show(o.DomainName), method = o.ValidationMethod, status = o.ValidationStatus ?? "unknown" },
                [$"ValidationMethod: {o.ValidationMethod}"]));
}
