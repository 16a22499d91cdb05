using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using RulesApi.Api.Features.Health;

namespace RulesApi.Api;

/// <summary>
/// <c>Api:Keys</c>: the API keys this service accepts, each under a name of the operator's choosing (it names the
/// caller in rate limits, never the key), given as the SHA-256 of the key in hex — never the key itself, so a
/// leaked configuration does not leak a key. Empty (the default): no key is asked for.
/// </summary>
public sealed class ApiKeyOptions
{
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<string> Problems() =>
        Keys.Where(key => !ApiKeys.IsSha256Hex(key.Value))
            .Select(key => $"Api:Keys:{key.Key} must be the SHA-256 of the key as 64 hex digits (printf %s \"$KEY\" | sha256sum), not the key itself");
}

/// <summary>What a request's credentials came to.</summary>
public enum ApiKeyOutcome
{
    /// <summary>No <c>Authorization: Bearer</c> header.</summary>
    Missing,

    /// <summary>A bearer key this service does not know.</summary>
    Wrong,

    /// <summary>One of the configured keys; <see cref="ApiKeyCheck.Name"/> says which.</summary>
    Valid,
}

public sealed record ApiKeyCheck(ApiKeyOutcome Outcome, string? Name);

/// <summary>The <c>Api:Keys</c> mistakes, each by its name: a start-up failure, never a key that silently never matches.</summary>
public sealed class ApiKeyOptionsValidator : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options) =>
        options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}

/// <summary>
/// Checks <c>Authorization: Bearer &lt;key&gt;</c> against the hashed keys of <see cref="ApiKeyOptions"/>: the key is
/// hashed and its hash compared with every configured hash in constant time, whatever matches and where.
/// </summary>
public sealed class ApiKeys
{
    public const string Scheme = "Bearer";

    private static readonly object CheckItem = new();

    private readonly (string Name, byte[] Hash)[] _keys;

    public ApiKeys(IOptions<ApiKeyOptions> options)
    {
        _keys = [.. options.Value.Keys.Where(k => IsSha256Hex(k.Value)).OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => (k.Key, Convert.FromHexString(k.Value)))];
    }

    /// <summary>True when keys are configured, and so asked for.</summary>
    public bool Enabled => _keys.Length > 0;

    /// <summary>
    /// What the request needs no key for: the health checks (probes carry none), the contract (clients read it to
    /// learn that they need a key), the problem type pages (a 401 links to one), and the support page's stylesheet,
    /// script and rule pages (documentation, as public as the repository). Everything else — every API operation,
    /// the support page itself, which runs diagnoses, and any path not listed — needs one.
    /// </summary>
    public static bool IsOpen(PathString path) =>
        HealthRoutes.Matches(path)
        || path.Equals("/openapi.json", StringComparison.Ordinal) || path.Equals("/openapi.yaml", StringComparison.Ordinal)
        || path.StartsWithSegments("/problems")
        || path.Equals("/page.css", StringComparison.Ordinal) || path.Equals("/page.js", StringComparison.Ordinal)
        || (path.StartsWithSegments("/rules") && path.Value!.EndsWith(".html", StringComparison.Ordinal));

    /// <summary>
    /// What the request log says of the caller: the name of the valid key it sent, "missing" or "wrong" when it sent none
    /// or a wrong one, null when no key was checked (keys off, or an open path). Never the key itself.
    /// </summary>
    public static string? CallerForLog(HttpContext context) =>
        context.Items.TryGetValue(CheckItem, out var known) && known is ApiKeyCheck check
            ? check.Outcome == ApiKeyOutcome.Valid ? check.Name : check.Outcome.ToString().ToLowerInvariant()
            : null;

    /// <summary>The request's credentials, checked once per request (the rate limiter and the gate both ask).</summary>
    public ApiKeyCheck Check(HttpContext context)
    {
        if (context.Items.TryGetValue(CheckItem, out var known) && known is ApiKeyCheck check)
        {
            return check;
        }

        check = Check(BearerKey(context.Request.Headers.Authorization.ToString()));
        context.Items[CheckItem] = check;
        return check;
    }

    private ApiKeyCheck Check(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return new(ApiKeyOutcome.Missing, null);
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        string? match = null;
        foreach (var (name, expected) in _keys)
        {
            // Every configured hash is compared, each in constant time: how long this takes says nothing about the key.
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                match ??= name;
            }
        }

        return match is null ? new(ApiKeyOutcome.Wrong, null) : new(ApiKeyOutcome.Valid, match);
    }

    /// <summary>The key of <c>Authorization: Bearer &lt;key&gt;</c> (the scheme is case-insensitive, RFC 9110 §11.1), or null.</summary>
    private static string? BearerKey(string authorization) =>
        authorization.Length > Scheme.Length + 1
        && authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
        && authorization[Scheme.Length] == ' '
            ? authorization[(Scheme.Length + 1)..].Trim()
            : null;

    /// <summary>The value to put in <c>Api:Keys:&lt;name&gt;</c> for a key: what <c>printf %s "$KEY" | sha256sum</c> prints.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool IsSha256Hex(string? value) =>
        value is { Length: 64 } && value.All(char.IsAsciiHexDigit);

    /// <summary>The 401 (RFC 9110 §15.5.2): a problem document and the challenge, with RFC 6750's error for a wrong key.</summary>
    public static Task RefuseAsync(HttpContext context, ApiKeyOutcome outcome)
    {
        var wrong = outcome == ApiKeyOutcome.Wrong;
        context.Response.Headers.WWWAuthenticate = wrong
            ? $"{Scheme} realm=\"RulesApi\", error=\"invalid_token\""
            : $"{Scheme} realm=\"RulesApi\"";
        return Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: wrong ? "The API key is not valid" : "An API key is needed",
            detail: wrong
                ? "The key sent in 'Authorization: Bearer …' is not one this service accepts (it may have been revoked); ask the operator for a key."
                : $"This service asks for an API key: send it as 'Authorization: {Scheme} <key>'.").ExecuteAsync(context);
    }
}
