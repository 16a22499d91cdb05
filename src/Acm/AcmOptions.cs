namespace RulesApi.Acm;

/// <summary>
/// The <c>Acm</c> configuration section. Calling ACM spends the operator's credentials, so it is off
/// until <see cref="Enabled"/> is set.
/// </summary>
public sealed class AcmOptions
{
    /// <summary>Whether requests may make the service call ACM (certificateArn, account scans) with its own credentials.</summary>
    public bool Enabled { get; set; }

    /// <summary>An endpoint to use for every region instead of acm.{region}.amazonaws.com: a VPC endpoint, or a test's fake ACM.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>How long one call to ACM may take before it is abandoned (and retried while attempts remain).</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Attempts per call, the first included; throttling, 5xx answers and timeouts are retried.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The first back-off after a throttled attempt; each further one doubles, with jitter.</summary>
    public double RetryBaseDelayMs { get; set; } = 200;

    /// <summary>How long finding the credentials may take (the SDK's chain may ask the instance metadata service).</summary>
    public double CredentialsTimeoutSeconds { get; set; } = 5;

    /// <summary>The most certificates one account scan diagnoses; a request may ask for fewer.</summary>
    public int MaxScanCertificates { get; set; } = 20;

    /// <summary>How many certificates of a scan are described and diagnosed at once.</summary>
    public int ScanConcurrency { get; set; } = 4;

    /// <summary>The override as a URI, once <see cref="Problems"/> found it valid.</summary>
    public Uri? ServiceUri => ServiceUrl is { Length: > 0 } url ? new Uri(url) : null;

    /// <summary>Every setting that is wrong, named as configuration names it (without the section).</summary>
    public IReadOnlyList<(string Setting, string Message)> Problems()
    {
        var problems = new List<(string, string)>();
        if (ServiceUrl is { Length: > 0 } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.PathAndQuery != "/" || uri.UserInfo.Length > 0))
        {
            problems.Add(("ServiceUrl", $"'{url}' is not an http(s) URL of a host with the path '/' (e.g. https://vpce-0123.acm.us-east-1.vpce.amazonaws.com/)."));
        }

        if (TimeoutSeconds is <= 0 or > 300)
        {
            problems.Add(("TimeoutSeconds", "must be more than 0 and at most 300."));
        }

        if (CredentialsTimeoutSeconds is <= 0 or > 300)
        {
            problems.Add(("CredentialsTimeoutSeconds", "must be more than 0 and at most 300."));
        }

        if (MaxAttempts is < 1 or > 10)
        {
            problems.Add(("MaxAttempts", "must be 1 to 10."));
        }

        if (RetryBaseDelayMs is < 0 or > 60_000)
        {
            problems.Add(("RetryBaseDelayMs", "must be 0 to 60000."));
        }

        if (MaxScanCertificates is < 1 or > 1000)
        {
            problems.Add(("MaxScanCertificates", "must be 1 to 1000."));
        }

        if (ScanConcurrency is < 1 or > 64)
        {
            problems.Add(("ScanConcurrency", "must be 1 to 64."));
        }

        return problems;
    }
}
