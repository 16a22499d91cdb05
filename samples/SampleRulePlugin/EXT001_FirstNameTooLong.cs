using RulesApi.Rules.Contract;
using RulesApi.Rules.Runtime;

namespace RulesApi.SamplePlugin;

/// <summary>
/// ACM puts the first domain name of a certificate in the subject's common name, which X.509 limits
/// to 64 characters; a longer first name is refused when the certificate is requested.
/// </summary>
public sealed class EXT001_FirstNameTooLong : Rule
{
    private const int MaxCommonNameLength = 64;

    protected override string Id => "EXT001";

    protected override string Title => "The first domain name is longer than 64 characters";

    protected override string Family => "EXT";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "ACM uses the first domain name as the certificate's common name, which is limited to 64 characters.";

    protected override IReadOnlyList<string> References => ["https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html"];

    public override bool AppliesTo(DiagnosisContext context) => context.Subject.Names.Count > 0;

    public override ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken)
    {
        var first = context.Subject.Names[0];
        var length = first.Text.TrimEnd('.').Length;
        IReadOnlyList<Finding> findings = length <= MaxCommonNameLength
            ? None
            : [Report(first, $"{first.Text} is {length} characters long; ACM's first domain name may have at most {MaxCommonNameLength}. Put a shorter name first and this one among the additional names.")];
        return ValueTask.FromResult(findings);
    }
}
