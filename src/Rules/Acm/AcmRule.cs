using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Acm;

/// <summary>The ACM family: what the certificate's own state says, when its description was given.</summary>
public abstract class AcmRule : Rule
{
    protected const string DescribeCertificate = "https://docs.aws.amazon.com/acm/latest/APIReference/API_CertificateDetail.html";
    protected const string DnsValidation = "https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html";
    protected const string CaaTroubleshooting = "https://docs.aws.amazon.com/acm/latest/userguide/troubleshooting-caa.html";
    protected const string Troubleshooting = "https://docs.aws.amazon.com/acm/latest/userguide/troubleshooting-failed.html";

    protected override string Family => "ACM";

    public override bool AppliesTo(DiagnosisContext context) => context.Subject.Certificate is not null;

    public override ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<Finding>>(Check(context.Subject.Certificate!).ToList());

    protected abstract IEnumerable<Finding> Check(AcmCertificate certificate);

    protected static bool Is(string? value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);
}
