using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Report;

namespace RulesApi.Acm;

/// <summary>
/// A diagnosis request that names its certificate by ARN: the ARN is checked, DescribeCertificate is
/// called in its region, and the answer goes to <see cref="DiagnosisRequestParser"/> as
/// <c>acmCertificate</c> — so the diagnosis is exactly the one the describe-certificate JSON would get —
/// and the report says where the certificate came from. The API and the command line both come here.
/// </summary>
public sealed class CertificateArnRequests(AcmClient client, AcmOptions options)
{
    /// <summary>
    /// Parses the fields, looking the certificate up first when they carry <c>certificateArn</c>. Field
    /// mistakes come back in the <see cref="ParsedRequest"/>, all at once and before any call; ACM's
    /// refusals and failures as <see cref="AcmException"/>. <paramref name="zone"/> is zone text streamed
    /// from elsewhere, as <see cref="DiagnosisRequestParser.Parse"/> takes it.
    /// </summary>
    public async Task<ParsedRequest> ParseAsync(DiagnosisRequestFields fields, CancellationToken cancellationToken, Func<TextReader>? zone = null)
    {
        if (fields.CertificateArn is not { } arnText)
        {
            return DiagnosisRequestParser.Parse(fields, zone);
        }

        if (!options.Enabled)
        {
            throw Disabled();
        }

        // Every mistake in the request is reported before the operator's credentials are spent on it.
        var first = DiagnosisRequestParser.Parse(fields, zone);
        var errors = first.Errors.ToList();
        if (!CertificateArn.TryParse(arnText, out var arn, out var arnError))
        {
            errors.Insert(0, new FieldError(AcmException.ArnField, arnError));
        }

        if (errors.Count > 0 || arn is null)
        {
            return new ParsedRequest(null, errors);
        }

        var description = await client.DescribeCertificateAsync(arn, cancellationToken).ConfigureAwait(false);
        var parsed = DiagnosisRequestParser.Parse(new DiagnosisRequestFields
        {
            Domains = fields.Domains,
            ZoneFile = fields.ZoneFile,
            ZoneText = fields.ZoneText,
            Origin = fields.Origin,
            Fixture = fields.Fixture,
            ValidationRecords = fields.ValidationRecords,
            AcmCertificate = description,
            Provider = fields.Provider,
            Ca = fields.Ca,
            ParentDs = fields.ParentDs,
        }, zone);
        return parsed.Request is { } request
            ? parsed with { Request = request with { CertificateSource = new CertificateSource("acm:DescribeCertificate", arn.ToString(), arn.Region) } }
            : parsed;
    }

    /// <summary>The refusal when the operator has not allowed calls to ACM.</summary>
    public static AcmException Disabled() => new(AcmErrorKind.Disabled, "ACM lookups are disabled",
        "This RulesApi does not call ACM: looking a certificate up spends the service's AWS credentials, so the operator must set Acm:Enabled=true. " +
        "Send the output of 'aws acm describe-certificate' as acmCertificate instead.");
}
