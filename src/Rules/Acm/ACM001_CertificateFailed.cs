using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;

namespace RulesApi.Rules.Acm;

/// <summary>The certificate is FAILED: explain its FailureReason, including those DNS cannot fix.</summary>
public sealed class ACM001_CertificateFailed : AcmRule
{
    protected override string Id => "ACM001";

    protected override string Title => "ACM failed to issue the certificate";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "The certificate's status is FAILED. ACM does not retry a failed request: once the cause is fixed, a new certificate must be requested. For the same names in the same account ACM gives the same validation CNAME again, so records already in place keep working.";

    private static readonly RuleMessage Failed = new("failed", Severity.Error,
        "ACM failed this certificate with FailureReason {reason}: {explanation} " +
        "A failed request is final and ACM does not retry it: after fixing the cause, delete it and request a new certificate. " +
        "For the same names in the same account ACM asks for the same validation CNAME again, so leave the validation records in place; " +
        "wait until the fix is visible everywhere (see 'visible by' on the fix) before requesting, or the new request may meet the old answer.");

    protected override IReadOnlyList<RuleMessage> Messages => [Failed];

    protected override IReadOnlyList<string> References => [Troubleshooting, CaaTroubleshooting, DnsValidation, DescribeCertificate];

    protected override IEnumerable<Finding> Check(AcmCertificate certificate)
    {
        if (!Is(certificate.Status, "FAILED"))
        {
            yield break;
        }

        var reason = certificate.FailureReason ?? "(none given)";
        yield return Report(certificate.DomainName, Failed, new { reason, explanation = Explain(certificate.FailureReason) },
            [$"Status: FAILED", $"FailureReason: {reason}"]);
    }

    private static string Explain(string? reason) => reason?.ToUpperInvariant() switch
    {
        "CAA_ERROR" => "a CAA record forbids Amazon to issue for one of the names. The CAA findings of this report say which record, where, and what to add.",
        "NO_AVAILABLE_CONTACTS" => "e-mail validation found no address to write to; DNS validation avoids this.",
        "ADDITIONAL_VERIFICATION_REQUIRED" => "Amazon needs more information before issuing for one of the names (often a name that resembles a well-known brand); only AWS Support can clear it, DNS cannot.",
        "DOMAIN_NOT_ALLOWED" => "one of the names is on a list ACM does not issue for (for example amazonaws.com subdomains); remove it from the request. DNS cannot change this.",
        "INVALID_PUBLIC_DOMAIN" => "one of the names is not under a public top-level domain; ACM only issues public certificates for publicly resolvable names. Correct the name.",
        "DOMAIN_VALIDATION_DENIED" => "Amazon's CA is not allowed to issue for one of the names (a domain on a deny list); contact AWS Support. DNS cannot change this.",
        "CAA_ERROR_FOR_WILDCARD" => "a CAA 'issuewild' record forbids Amazon to issue the wildcard.",
        "PCA_LIMIT_EXCEEDED" or "PCA_INVALID_ARN" or "PCA_INVALID_STATE" or "PCA_REQUEST_FAILED" or "PCA_NAME_CONSTRAINTS_VALIDATION"
            or "PCA_RESOURCE_NOT_FOUND" or "PCA_INVALID_ARGS" or "PCA_INVALID_DURATION" or "PCA_ACCESS_DENIED" or "SLR_NOT_FOUND"
            => "the request uses a private CA (AWS Private CA), and the failure is on that side; DNS plays no part in it.",
        "OTHER" => "ACM gives no specific reason. Check the CAA and validation findings; if they are clean, contact AWS Support.",
        null => "ACM gave no reason.",
        _ => "this reason is not one RulesApi knows; see the ACM documentation for FailureReason.",
    };
}
