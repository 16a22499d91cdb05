using System.Text.Json;
using System.Text.Json.Serialization;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Report;

namespace RulesApi.Acm;

/// <summary>What to scan: a region, how many certificates at most, and what each is diagnosed against. Unknown fields are refused.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class AccountScanFields
{
    /// <summary>The region whose certificates are listed (us-east-1 for CloudFront's).</summary>
    public string? Region { get; set; }

    /// <summary>Diagnose at most this many (default and ceiling: Acm:MaxScanCertificates).</summary>
    public int? MaxCertificates { get; set; }

    /// <summary>The DNS provider whose record forms the fixes follow.</summary>
    public string? Provider { get; set; }

    /// <summary>Zone text to diagnose every certificate against instead of live DNS.</summary>
    public string? ZoneFile { get; set; }

    /// <summary>The zone's name, when the zone text does not say it.</summary>
    public string? Origin { get; set; }

    /// <summary>A built-in offline scenario to diagnose every certificate against instead of live DNS.</summary>
    public string? Fixture { get; set; }
}

/// <summary>A problem that kept one certificate from being diagnosed (the rest of the scan goes on).</summary>
public sealed record ScanProblem(int Status, string Title, string Detail);

/// <summary>One row of the summary: the certificate, its names, ACM's status, the worst verdict and the first thing to fix.</summary>
public sealed record ScannedCertificate(string Arn, string? DomainName, IReadOnlyList<string> Names, string? Status)
{
    /// <summary>The worst verdict over the certificate's names; null when it could not be diagnosed.</summary>
    public Verdict? Verdict { get; init; }

    /// <summary>What to do first: the most severe finding's remediation (or its title).</summary>
    public string? FirstFix { get; init; }

    /// <summary>The rule that gave <see cref="FirstFix"/>.</summary>
    public string? FirstFixRule { get; init; }

    public ScanProblem? Problem { get; init; }

    /// <summary>The whole diagnosis, as POST /diagnose with its certificateArn would give it.</summary>
    public DiagnosisReport? Report { get; init; }
}

/// <summary>The answer to an account scan: the certificates diagnosed, worst first (those that could not be diagnosed last), and whether more were left unlisted.</summary>
public sealed record AccountScanReport(string Region, IReadOnlyList<string> Statuses, int MaxCertificates, bool Truncated, IReadOnlyList<ScannedCertificate> Certificates);

/// <summary>
/// "Why are my certificates stuck?" for a whole account and region: ListCertificates with the statuses
/// that mean ACM will not issue (PENDING_VALIDATION, FAILED), paged, at most N; each certificate described
/// and diagnosed, a few at a time; a summary row per certificate.
/// </summary>
public sealed class AccountScan(AcmClient client, AcmOptions options, Diagnoser diagnoser)
{
    public static readonly IReadOnlyList<string> Statuses = ["PENDING_VALIDATION", "FAILED"];

    /// <summary>The scan's fields checked, all at once, before ACM is called: null when they are fine.</summary>
    public IReadOnlyList<FieldError> Check(AccountScanFields fields)
    {
        var errors = new List<FieldError>();
        if (fields.Region is null)
        {
            errors.Add(new FieldError("region", "is missing: the region whose certificates to scan, e.g. us-east-1."));
        }
        else if (!AcmEndpoints.IsRegionName(fields.Region))
        {
            errors.Add(new FieldError("region", $"'{(fields.Region.Length > 40 ? fields.Region[..40] + "…" : fields.Region)}' is not a region name such as us-east-1."));
        }

        if (fields.MaxCertificates is { } max && (max < 1 || max > options.MaxScanCertificates))
        {
            errors.Add(new FieldError("maxCertificates", $"must be 1 to {options.MaxScanCertificates} (Acm:MaxScanCertificates)."));
        }

        // The same parser as every diagnosis checks what the certificates will be diagnosed against; the
        // ARN stands for "a certificate will be given" and is never looked up.
        errors.AddRange(DiagnosisRequestParser.Parse(Template(fields, null)).Errors);
        return errors;
    }

    /// <summary>Runs the scan. Call <see cref="Check"/> first; listing failures come as <see cref="AcmException"/>.</summary>
    public async Task<AccountScanReport> RunAsync(AccountScanFields fields, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            throw CertificateArnRequests.Disabled();
        }

        var region = fields.Region ?? throw new ArgumentException("region is missing; call Check first", nameof(fields));
        var max = fields.MaxCertificates ?? options.MaxScanCertificates;
        var listing = await client.ListCertificatesAsync(region, Statuses, max, cancellationToken).ConfigureAwait(false);
        var rows = new ScannedCertificate[listing.Certificates.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, rows.Length),
            new ParallelOptions { MaxDegreeOfParallelism = options.ScanConcurrency, CancellationToken = cancellationToken },
            async (i, token) => rows[i] = await DiagnoseAsync(listing.Certificates[i], fields, token).ConfigureAwait(false)).ConfigureAwait(false);
        var ordered = rows
            .OrderBy(r => r.Verdict is { } v ? (int)v : int.MaxValue)
            .ThenBy(r => r.DomainName, StringComparer.Ordinal)
            .ThenBy(r => r.Arn, StringComparer.Ordinal)
            .ToList();
        return new AccountScanReport(region, Statuses, max, listing.Truncated, ordered);
    }

    private async Task<ScannedCertificate> DiagnoseAsync(CertificateSummary summary, AccountScanFields fields, CancellationToken cancellationToken)
    {
        var row = new ScannedCertificate(summary.Arn, summary.DomainName, summary.Names, summary.Status);
        if (!CertificateArn.TryParse(summary.Arn, out var arn, out var arnError))
        {
            return row with { Problem = new ScanProblem(502, "ACM listed an ARN RulesApi cannot read", arnError) };
        }

        JsonElement description;
        try
        {
            description = await client.DescribeCertificateAsync(arn, cancellationToken).ConfigureAwait(false);
        }
        catch (AcmException failure)
        {
            return row with { Problem = new ScanProblem(failure.HttpStatus, failure.Title, failure.Message) };
        }

        var parsed = DiagnosisRequestParser.Parse(Template(fields, description));
        if (parsed.Request is not { } request)
        {
            return row with
            {
                Problem = new ScanProblem(502, "ACM's description could not be read",
                    string.Join("; ", parsed.Errors.Select(e => $"{e.Field}: {e.Message}"))),
            };
        }

        DiagnosisReport report;
        try
        {
            report = await diagnoser.RunAsync(request with { CertificateSource = new CertificateSource("acm:DescribeCertificate", arn.ToString(), arn.Region) },
                cancellationToken).ConfigureAwait(false);
        }
        catch (DiagnosisInputException mistake)
        {
            return row with { Problem = new ScanProblem(400, "The scan's input could not be read", $"{mistake.Field}: {mistake.Message}") };
        }
        catch (DiagnosisDeadlineException late)
        {
            // As POST /diagnose answers 504 for it; the other certificates are diagnosed all the same.
            return row with { Problem = new ScanProblem(504, "The diagnosis took too long", late.Message) };
        }

        var first = report.Findings.FirstOrDefault(f => f.Severity <= Severity.Warning);
        return row with
        {
            Verdict = report.Names.Count == 0 ? Verdict.Inconclusive : report.Names.Min(n => n.Verdict),
            FirstFix = first is null ? null : first.Remediation?.Summary ?? first.Title,
            FirstFixRule = first?.RuleId,
            Report = report,
        };
    }

    /// <summary>The request each certificate is diagnosed with: the scan's input, and the certificate's description (or a stand-in ARN to check the rest).</summary>
    private static DiagnosisRequestFields Template(AccountScanFields fields, JsonElement? description) => new()
    {
        ZoneFile = fields.ZoneFile,
        Origin = fields.Origin,
        Fixture = fields.Fixture,
        Provider = fields.Provider,
        AcmCertificate = description,
        CertificateArn = description is null ? "arn:aws:acm:us-east-1:000000000000:certificate/stand-in" : null,
    };
}
