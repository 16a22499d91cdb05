using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RulesApi.Acm;

/// <summary>One certificate as ListCertificates lists it.</summary>
public sealed record CertificateSummary(string Arn, string? DomainName, IReadOnlyList<string> Names, string? Status);

/// <summary>What ListCertificates gave, up to the limit asked for; <see cref="Truncated"/> when more were left.</summary>
public sealed record CertificateListing(IReadOnlyList<CertificateSummary> Certificates, bool Truncated);

/// <summary>
/// A small client of ACM's JSON 1.1 API (<c>POST /</c>, <c>X-Amz-Target: CertificateManager.&lt;Action&gt;</c>):
/// DescribeCertificate and ListCertificates, signed with SigV4 in the certificate's region, each attempt
/// bounded by a timeout, throttling and 5xx answers retried with exponential back-off and jitter, and
/// every failure turned into an <see cref="AcmException"/> that says what to do.
/// </summary>
public sealed partial class AcmClient
{
    public const string ContentType = "application/x-amz-json-1.1";
    private const string TargetPrefix = "CertificateManager.";
    private const int MaxResponseBytes = 4 * 1024 * 1024;

    /// <summary>ACM allows at most 1000 per ListCertificates page.</summary>
    private const int MaxPageItems = 1000;

    private static readonly string[] ThrottlingCodes =
        ["ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException"];

    private static readonly string[] CredentialCodes =
        ["UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException", "SignatureDoesNotMatch", "IncompleteSignature",
         "MissingAuthenticationToken", "ExpiredTokenException", "ExpiredToken", "RequestExpired", "InvalidAccessKeyId"];

    private readonly HttpClient _http;
    private readonly AcmOptions _options;
    private readonly IAcmCredentialSource _credentials;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public AcmClient(HttpClient http, AcmOptions options, IAcmCredentialSource credentials, TimeProvider? time = null, ILogger<AcmClient>? logger = null)
    {
        if (options.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException("Acm options: " + string.Join("; ", problems.Select(p => $"Acm:{p.Setting} {p.Message}")), nameof(options));
        }

        _http = http;
        _options = options;
        _credentials = credentials;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>DescribeCertificate: the document <c>aws acm describe-certificate</c> prints (<c>{"Certificate": {...}}</c>).</summary>
    public async Task<JsonElement> DescribeCertificateAsync(CertificateArn arn, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["CertificateArn"] = arn.ToString() };
        var answer = await CallAsync("DescribeCertificate", arn.Region, body, arn, cancellationToken).ConfigureAwait(false);
        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("Certificate", out var certificate) || certificate.ValueKind != JsonValueKind.Object)
        {
            throw new AcmException(AcmErrorKind.Refused, "ACM gave no certificate",
                $"ACM answered DescribeCertificate for {arn} without a 'Certificate' object; try again, or send the describe-certificate output as acmCertificate.");
        }

        return answer;
    }

    /// <summary>ListCertificates with the given statuses, following NextToken until <paramref name="limit"/> certificates are in hand.</summary>
    public async Task<CertificateListing> ListCertificatesAsync(string region, IReadOnlyList<string> statuses, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var found = new List<CertificateSummary>();
        string? next = null;
        // A page may be empty and still carry a token; the number of pages is bounded all the same.
        for (var page = 0; page < 100; page++)
        {
            var body = new JsonObject
            {
                ["CertificateStatuses"] = new JsonArray(statuses.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
                ["MaxItems"] = Math.Min(MaxPageItems, limit - found.Count),
            };
            if (next is not null)
            {
                body["NextToken"] = next;
            }

            var answer = await CallAsync("ListCertificates", region, body, null, cancellationToken).ConfigureAwait(false);
            if (answer.TryGetProperty("CertificateSummaryList", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    if (Summary(item) is { } summary && found.Count < limit)
                    {
                        found.Add(summary);
                    }
                }
            }

            next = answer.TryGetProperty("NextToken", out var token) && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } t ? t : null;
            if (next is null || found.Count >= limit)
            {
                return new CertificateListing(found, next is not null);
            }
        }

        return new CertificateListing(found, true);
    }

    private static CertificateSummary? Summary(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("CertificateArn", out var arn) || arn.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        static string? Text(JsonElement json, string name) =>
            json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var names = item.TryGetProperty("SubjectAlternativeNameSummaries", out var sans) && sans.ValueKind == JsonValueKind.Array
            ? sans.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()!).ToList()
            : [];
        return new CertificateSummary(arn.GetString()!, Text(item, "DomainName"), names, Text(item, "Status"));
    }

    private async Task<JsonElement> CallAsync(string action, string region, JsonObject body, CertificateArn? arn, CancellationToken cancellationToken)
    {
        var credentials = await CredentialsAsync(cancellationToken).ConfigureAwait(false);
        var endpoint = AcmEndpoints.For(region, _options.ServiceUri);
        var payload = Encoding.UTF8.GetBytes(body.ToJsonString());
        var timeout = TimeSpan.FromSeconds(_options.TimeoutSeconds);
        var lastFailure = "";
        for (var attempt = 1; ; attempt++)
        {
            var last = attempt >= _options.MaxAttempts;
            using var request = Signed(endpoint, action, region, payload, credentials);
            using var attemptCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptCancellation.CancelAfter(timeout);
            HttpStatusCode status;
            byte[] answer;
            TimeSpan? retryAfter;
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptCancellation.Token).ConfigureAwait(false);
                status = response.StatusCode;
                retryAfter = response.Headers.RetryAfter?.Delta;
                answer = await ReadBoundedAsync(response.Content, attemptCancellation.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastFailure = $"did not answer within {_options.TimeoutSeconds:0.###} s";
                LogAttemptFailed(_logger, action, region, attempt, lastFailure);
                if (last)
                {
                    throw Unavailable(endpoint, attempt, lastFailure);
                }

                await BackOffAsync(attempt, null, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (HttpRequestException error)
            {
                lastFailure = $"could not be reached ({error.HttpRequestError})";
                LogAttemptFailed(_logger, action, region, attempt, lastFailure);
                if (last)
                {
                    throw Unavailable(endpoint, attempt, lastFailure);
                }

                await BackOffAsync(attempt, null, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (status == HttpStatusCode.OK)
            {
                try
                {
                    using var document = JsonDocument.Parse(answer);
                    return document.RootElement.Clone();
                }
                catch (JsonException)
                {
                    throw new AcmException(AcmErrorKind.Refused, "ACM's answer was not JSON",
                        $"ACM at {endpoint.Host} answered {action} with a body that is not JSON; check Acm:ServiceUrl if it is set.");
                }
            }

            var (code, message) = ErrorOf(answer);
            var throttled = status == HttpStatusCode.TooManyRequests || ThrottlingCodes.Contains(code);
            var transient = throttled || (int)status >= 500;
            LogAttemptFailed(_logger, action, region, attempt, $"HTTP {(int)status} {code}");
            if (transient && !last)
            {
                await BackOffAsync(attempt, retryAfter, cancellationToken).ConfigureAwait(false);
                continue;
            }

            throw Mapped(action, region, arn, status, code, Scrub(message, credentials), attempt, endpoint);
        }
    }

    private async Task<AcmCredentials> CredentialsAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.CredentialsTimeoutSeconds));
        AcmCredentials? credentials;
        try
        {
            credentials = await _credentials.GetAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AcmException(AcmErrorKind.NoCredentials, "No AWS credentials",
                $"Finding the service's AWS credentials took longer than {_options.CredentialsTimeoutSeconds:0.###} s (the instance metadata service may be unreachable). " + WhereCredentialsComeFrom);
        }

        return credentials ?? throw new AcmException(AcmErrorKind.NoCredentials, "No AWS credentials",
            "RulesApi has no AWS credentials to call ACM with. " + WhereCredentialsComeFrom);
    }

    private const string WhereCredentialsComeFrom =
        "Give the service a role (ECS task role, EC2 instance profile, EKS service account) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE; " +
        "it needs acm:DescribeCertificate and acm:ListCertificates. Or send the output of 'aws acm describe-certificate' as acmCertificate instead.";

    private HttpRequestMessage Signed(Uri endpoint, string action, string region, byte[] payload, AcmCredentials credentials)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var host = endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port}";
        var headers = new Dictionary<string, string>
        {
            ["content-type"] = ContentType,
            ["host"] = host,
            ["x-amz-date"] = AcmRequestSigner.AmzDate(now),
            ["x-amz-target"] = TargetPrefix + action,
        };
        if (credentials.SessionToken is { } token)
        {
            headers["x-amz-security-token"] = token;
        }

        var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Headers.Host = host;
        request.Headers.TryAddWithoutValidation("X-Amz-Date", headers["x-amz-date"]);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", headers["x-amz-target"]);
        if (credentials.SessionToken is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", credentials.SessionToken);
        }

        request.Headers.TryAddWithoutValidation("Authorization",
            AcmRequestSigner.Authorization("POST", "/", "", headers, payload, credentials, region, AcmRequestSigner.Service, now));
        request.Content = new ByteArrayContent(payload);
        // Exactly this, without "; charset=utf-8": the value is signed.
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        return request;
    }

    private async Task BackOffAsync(int attempt, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        // Exponential back-off with jitter (AWS's "exponential backoff and jitter"): base × 2^(attempt-1) × [0.5, 1.5),
        // at least what a Retry-After asked for, at most 20 s.
        var exponential = _options.RetryBaseDelayMs * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble());
        var delay = TimeSpan.FromMilliseconds(Math.Min(20_000, Math.Max(exponential, retryAfter?.TotalMilliseconds ?? 0)));
        await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                throw new HttpRequestException(HttpRequestError.InvalidResponse, "the answer is larger than 4 MiB");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The JSON protocol's error: <c>{"__type": "ResourceNotFoundException", "message": "…"}</c> (the type may carry a namespace before '#').</summary>
    private static (string Code, string Message) ErrorOf(byte[] answer)
    {
        try
        {
            using var document = JsonDocument.Parse(answer);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ("", "");
            }

            var type = root.TryGetProperty("__type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() ?? "" : "";
            type = type[(type.LastIndexOf('#') + 1)..];
            type = type.Split(':', 2)[0];
            var message = (root.TryGetProperty("message", out var m) || root.TryGetProperty("Message", out m)) && m.ValueKind == JsonValueKind.String
                ? m.GetString() ?? ""
                : "";
            return (type, message);
        }
        catch (JsonException)
        {
            return ("", "");
        }
    }

    private static AcmException Mapped(string action, string region, CertificateArn? arn, HttpStatusCode status, string code, string message, int attempts, Uri endpoint)
    {
        var said = message.Length > 0 ? $" ACM said: {message}" : "";
        var what = arn is null ? $"certificates in {region}" : arn.ToString();
        if (ThrottlingCodes.Contains(code) || status == HttpStatusCode.TooManyRequests)
        {
            return new AcmException(AcmErrorKind.Throttled, "ACM is throttling",
                $"ACM throttled {action} on {attempts} attempts; try again in a few seconds (ACM's request rate is per account and region).", code,
                TimeSpan.FromSeconds(5));
        }

        if (CredentialCodes.Contains(code))
        {
            return new AcmException(AcmErrorKind.CredentialsRejected, "ACM rejected the service's credentials",
                $"ACM did not accept the service's AWS credentials ({code}): they are unknown, expired or for another partition. Renew them or the service's role.{said}", code);
        }

        switch (code)
        {
            case "AccessDeniedException" or "AccessDenied" or "UnauthorizedOperation" or "NotAuthorized":
                return new AcmException(AcmErrorKind.AccessDenied, "Not allowed to read from ACM",
                    $"The service's AWS credentials may not call acm:{action} on {what}. Grant acm:{action} to the service's role (the README has the policy), or send the describe-certificate output as acmCertificate.{said}", code);
            case "ResourceNotFoundException":
                return new AcmException(AcmErrorKind.NotFound, "No such certificate",
                    $"ACM has no certificate {what}: check the ARN (region and account included) and that the certificate was not deleted. ACM shows only the certificates of the account the service's credentials belong to.{said}", code);
            case "InvalidArnException" or "ValidationException" or "InvalidParameterException" or "InvalidArgsException":
                return new AcmException(AcmErrorKind.InvalidArn, "ACM refused the request",
                    $"ACM refused {action} for {what} as malformed ({code}); check the ARN.{said}", code);
        }

        if ((int)status >= 500)
        {
            return Unavailable(endpoint, attempts, $"failed with HTTP {(int)status} {code}".TrimEnd());
        }

        return new AcmException(AcmErrorKind.Refused, "ACM refused the request",
            $"ACM answered {action} with HTTP {(int)status} {code}.{said}".Replace(" .", ".", StringComparison.Ordinal), code);
    }

    private static AcmException Unavailable(Uri endpoint, int attempts, string failure) =>
        new(AcmErrorKind.Unavailable, "ACM did not answer",
            $"ACM at {endpoint.Host} {failure} ({attempts} attempt{(attempts == 1 ? "" : "s")}); try again later, and check that the service can reach it (a VPC endpoint needs Acm:ServiceUrl).");

    /// <summary>
    /// ACM's message with anything that could be a credential taken out: the key ID and token in use, and
    /// anything shaped like an access key ID; at most 300 characters.
    /// </summary>
    public static string Scrub(string message, AcmCredentials? credentials)
    {
        var text = message;
        if (credentials is not null)
        {
            text = text.Replace(credentials.AccessKeyId, "[access key]", StringComparison.Ordinal)
                .Replace(credentials.SecretAccessKey, "[secret]", StringComparison.Ordinal);
            if (credentials.SessionToken is { Length: > 0 } token)
            {
                text = text.Replace(token, "[token]", StringComparison.Ordinal);
            }
        }

        text = AccessKeyPattern().Replace(text, "[access key]");
        return text.Length > 300 ? text[..300] + "…" : text;
    }

    [GeneratedRegex("(AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}")]
    private static partial Regex AccessKeyPattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "ACM {Action} in {Region}: attempt {Attempt} failed: {Failure}")]
    private static partial void LogAttemptFailed(ILogger logger, string action, string region, int attempt, string failure);
}
