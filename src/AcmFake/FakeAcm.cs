using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RulesApi.AcmFake;

/// <summary>One request the fake received, and how it answered (never the signature or the secret).</summary>
public sealed record FakeAcmCall(string Target, string? Region, string? AccessKeyId, string? Arn, string Outcome);

/// <summary>
/// A fake ACM on a loopback port. Every request must be a JSON 1.1 call (<c>POST /</c>, the exact content
/// type, <c>X-Amz-Target: CertificateManager.*</c>) signed with SigV4 for service <c>acm</c> by a known key
/// within five minutes of now; the signature is recomputed from the request as received. Certificates
/// live in the region of their ARN and are listed only there. Faults: <see cref="ThrottleNext"/> requests
/// answer ThrottlingException, <see cref="DeniedArns"/> answer AccessDeniedException, <see cref="Stall"/>
/// delays every answer.
/// </summary>
public sealed partial class FakeAcm : IAsyncDisposable
{
    /// <summary>CertificateArn's pattern in ACM's API reference.</summary>
    [GeneratedRegex(@"^arn:[\w+=/,.@-]+:acm:[\w+=/,.@-]*:[0-9]+:[\w+=,.@-]+(/[\w+=,.@-]+)*$")]
    private static partial Regex ArnPattern();

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _certificates = new(StringComparer.Ordinal);
    private int _throttleNext;

    private FakeAcm(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Known access keys: key ID → (secret, session token or null).</summary>
    public ConcurrentDictionary<string, (string Secret, string? Token)> Keys { get; } = new(StringComparer.Ordinal);

    /// <summary>ARNs whose DescribeCertificate is denied, as an IAM policy with a resource condition would.</summary>
    public ConcurrentDictionary<string, bool> DeniedArns { get; } = new(StringComparer.Ordinal);

    /// <summary>The largest ListCertificates page, whatever MaxItems asks (to make paging happen with few certificates).</summary>
    public int PageSize { get; set; } = 2;

    /// <summary>How many of the next requests are throttled.</summary>
    public int ThrottleNext
    {
        get => Volatile.Read(ref _throttleNext);
        set => Volatile.Write(ref _throttleNext, value);
    }

    /// <summary>A delay before every answer (to make clients time out).</summary>
    public TimeSpan Stall { get; set; }

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<FakeAcmCall> Calls { get; } = new();

    /// <summary>The fake's endpoint (http://127.0.0.1:port/): what <c>Acm:ServiceUrl</c> is set to.</summary>
    public Uri Url { get; private set; } = null!;

    public static async Task<FakeAcm> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeAcm(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.Url = new Uri(address.TrimEnd('/') + "/");
        return fake;
    }

    /// <summary>Adds a certificate (a CertificateDetail object, see <see cref="FakeCertificates.Detail"/>).</summary>
    public void Add(JsonObject detail) => _certificates[detail["CertificateArn"]!.GetValue<string>()] = detail;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var body = buffer.ToArray();
        var target = request.Headers["X-Amz-Target"].ToString();
        if (Stall > TimeSpan.Zero)
        {
            await Task.Delay(Stall, context.RequestAborted).ConfigureAwait(false);
        }

        if (request.Method != "POST" || request.Path != "/" || request.ContentType != "application/x-amz-json-1.1")
        {
            await ErrorAsync(context, target, null, null, null, 400, "SerializationException",
                $"expected POST / with Content-Type application/x-amz-json-1.1, got {request.Method} {request.Path} '{request.ContentType}'").ConfigureAwait(false);
            return;
        }

        var (keyId, region, failure) = CheckSignature(request, body);
        if (failure is not null)
        {
            await ErrorAsync(context, target, region, keyId, null, failure.Value.Status, failure.Value.Code, failure.Value.Message).ConfigureAwait(false);
            return;
        }

        JsonObject input;
        try
        {
            input = JsonNode.Parse(body)?.AsObject() ?? [];
        }
        catch (JsonException)
        {
            await ErrorAsync(context, target, region, keyId, null, 400, "SerializationException", "the body is not JSON").ConfigureAwait(false);
            return;
        }

        var arn = input["CertificateArn"]?.GetValue<string>();
        if (TakeThrottle())
        {
            await ErrorAsync(context, target, region, keyId, arn, 400, "ThrottlingException", "Rate exceeded").ConfigureAwait(false);
            return;
        }

        switch (target)
        {
            case "CertificateManager.DescribeCertificate":
                await DescribeAsync(context, target, region!, keyId!, arn).ConfigureAwait(false);
                return;
            case "CertificateManager.ListCertificates":
                await ListAsync(context, target, region!, keyId!, input).ConfigureAwait(false);
                return;
            default:
                await ErrorAsync(context, target, region, keyId, arn, 400, "UnknownOperationException", "").ConfigureAwait(false);
                return;
        }
    }

    private bool TakeThrottle()
    {
        while (true)
        {
            var left = Volatile.Read(ref _throttleNext);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _throttleNext, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    private async Task DescribeAsync(HttpContext context, string target, string region, string keyId, string? arn)
    {
        // ACM's own check of the parameter (its documented pattern), then the lookup in the signing region.
        if (arn is null || arn.Length is < 20 or > 2048 || !ArnPattern().IsMatch(arn))
        {
            await ErrorAsync(context, target, region, keyId, arn, 400, "ValidationException",
                "1 validation error detected: Value at 'certificateArn' failed to satisfy constraint: Member must satisfy regular expression pattern").ConfigureAwait(false);
            return;
        }

        if (DeniedArns.ContainsKey(arn))
        {
            await ErrorAsync(context, target, region, keyId, arn, 400, "AccessDeniedException",
                $"User: arn:aws:sts::123456789012:assumed-role/rulesapi/session is not authorized to perform: acm:DescribeCertificate on resource: {arn} with an explicit deny").ConfigureAwait(false);
            return;
        }

        if (arn.Split(':')[3] != region || !_certificates.TryGetValue(arn, out var detail))
        {
            await ErrorAsync(context, target, region, keyId, arn, 400, "ResourceNotFoundException", $"Could not find certificate {arn}.").ConfigureAwait(false);
            return;
        }

        Calls.Enqueue(new FakeAcmCall(target, region, keyId, arn, "200"));
        await AnswerAsync(context, 200, new JsonObject { ["Certificate"] = detail.DeepClone() }).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context, string target, string region, string keyId, JsonObject input)
    {
        var statuses = input["CertificateStatuses"]?.AsArray().Select(s => s!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var maxItems = input["MaxItems"]?.GetValue<int>() ?? 1000;
        var start = input["NextToken"]?.GetValue<string>() is { } token ? int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture) : 0;
        var matching = _certificates.Values
            .Where(c => c["CertificateArn"]!.GetValue<string>().Split(':')[3] == region)
            .Where(c => statuses is null || statuses.Count == 0 || statuses.Contains(c["Status"]!.GetValue<string>()))
            .OrderBy(c => c["CertificateArn"]!.GetValue<string>(), StringComparer.Ordinal)
            .ToList();
        var page = matching.Skip(start).Take(Math.Min(maxItems, PageSize)).ToList();
        var answer = new JsonObject { ["CertificateSummaryList"] = new JsonArray(page.Select(c => (JsonNode)FakeCertificates.Summary(c)).ToArray()) };
        var next = start + page.Count;
        if (next < matching.Count)
        {
            answer["NextToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(next.ToString(CultureInfo.InvariantCulture)));
        }

        Calls.Enqueue(new FakeAcmCall(target, region, keyId, null, $"200 ({page.Count} from {start})"));
        await AnswerAsync(context, 200, answer).ConfigureAwait(false);
    }

    /// <summary>Recomputes the signature from the request as received; returns the key ID and region, or why it fails.</summary>
    private (string? KeyId, string? Region, (int Status, string Code, string Message)? Failure) CheckSignature(HttpRequest request, byte[] body)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(SigV4Check.Algorithm + " ", StringComparison.Ordinal))
        {
            return (null, null, (400, "MissingAuthenticationTokenException", "Missing Authentication Token"));
        }

        var parts = authorization[(SigV4Check.Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signedHeaders) || !parts.TryGetValue("Signature", out var signature))
        {
            return (null, null, (400, "IncompleteSignatureException", "Authorization header requires Credential, SignedHeaders and Signature"));
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[3] != "acm" || scope[4] != "aws4_request")
        {
            return (null, null, (400, "IncompleteSignatureException", "Credential must be keyId/date/region/acm/aws4_request"));
        }

        var (keyId, date, region) = (scope[0], scope[1], scope[2]);
        if (!Keys.TryGetValue(keyId, out var key))
        {
            return (keyId, region, (400, "UnrecognizedClientException", "The security token included in the request is invalid."));
        }

        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (!DateTime.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var signedAt)
            || !amzDate.StartsWith(date, StringComparison.Ordinal)
            || Math.Abs((DateTime.UtcNow - signedAt).TotalMinutes) > 5)
        {
            return (keyId, region, (400, "InvalidSignatureException", "Signature expired or X-Amz-Date does not match the credential scope"));
        }

        var names = signedHeaders.Split(';');
        foreach (var required in new[] { "content-type", "host", "x-amz-date", "x-amz-target" }.Concat(key.Token is null ? [] : ["x-amz-security-token"]))
        {
            if (!names.Contains(required, StringComparer.Ordinal))
            {
                return (keyId, region, (400, "InvalidSignatureException", $"'{required}' must be signed"));
            }
        }

        if (key.Token is not null && request.Headers["X-Amz-Security-Token"].ToString() != key.Token)
        {
            return (keyId, region, (400, "UnrecognizedClientException", "The security token included in the request is invalid."));
        }

        var headers = names.Select(name => new KeyValuePair<string, string>(name, name == "host" ? request.Host.Value ?? "" : request.Headers[name].ToString()));
        var canonical = SigV4Check.CanonicalRequest(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? "", headers, SigV4Check.PayloadHash(body));
        var expected = SigV4Check.Signature(key.Secret, date, region, "acm", SigV4Check.StringToSign(amzDate, string.Join('/', scope.Skip(1)), canonical));
        return expected == signature
            ? (keyId, region, null)
            : (keyId, region, (400, "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."));
    }

    private async Task ErrorAsync(HttpContext context, string target, string? region, string? keyId, string? arn, int status, string code, string message)
    {
        Calls.Enqueue(new FakeAcmCall(target, region, keyId, arn, code));
        context.Response.Headers["x-amzn-ErrorType"] = code;
        await AnswerAsync(context, status, new JsonObject { ["__type"] = code, ["message"] = message }).ConfigureAwait(false);
    }

    private static async Task AnswerAsync(HttpContext context, int status, JsonObject answer)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.1";
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }
}
