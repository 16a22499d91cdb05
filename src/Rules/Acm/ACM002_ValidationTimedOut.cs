using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;

namespace RulesApi.Rules.Acm;

/// <summary>VALIDATION_TIMED_OUT: the records were not seen within 72 hours.</summary>
public sealed class ACM002_ValidationTimedOut : AcmRule
{
    protected override string Id => "ACM002";

    protected override string Title => "Validation timed out after 72 hours";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "ACM waits 72 hours for the validation records to appear and then gives up with VALIDATION_TIMED_OUT. The request cannot be revived: fix the records' placement, then request a new certificate. ACM asks for the same validation CNAME for the same names in the same account, so a corrected record serves the new request.";

    private static readonly RuleMessage TimedOut = new("timed-out", Severity.Error,
        "ACM did not see the validation records within 72 hours{stillMissing}, so the request timed out. " +
        "The VAL findings of this report say what is wrong with the records. Fix that, then delete this request and request a new certificate: " +
        "for the same names in the same account ACM asks for the same validation CNAME, so the corrected record serves it (compare it with the new request's records all the same).");

    protected override IReadOnlyList<RuleMessage> Messages => [TimedOut];

    protected override IReadOnlyList<string> References => ["https://docs.aws.amazon.com/acm/latest/userguide/troubleshooting-DNS-validation.html", DnsValidation, DescribeCertificate];

    protected override IEnumerable<Finding> Check(AcmCertificate certificate)
    {
        if (!Is(certificate.Status, "VALIDATION_TIMED_OUT"))
        {
            yield break;
        }

        var pending = certificate.DomainValidationOptions.Where(o => !Is(o.ValidationStatus, "SUCCESS")).Select(o => Show(o.DomainName)).ToList();
        var stillMissing = pending.Count > 0 ? $" (still missing for {string.Join(", ", pending)})" : "";
        yield return Report(certificate.DomainName, TimedOut, new { stillMissing }, [$"Status: VALIDATION_TIMED_OUT"]);
    }
}
