using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime.Internal.Auth;

namespace RulesApi.Acm;

/// <summary>
/// Signature Version 4 for a request: the canonical request is written here (ACM's JSON protocol is
/// always <c>POST /</c> with no query), the signing key and signature come from the SDK's
/// <see cref="AWS4Signer"/>, which reproduces AWS's published test vectors.
/// </summary>
public static class AcmRequestSigner
{
    public const string Service = "acm";

    /// <summary>
    /// The <c>Authorization</c> header value for a request. <paramref name="headers"/> are the headers to
    /// sign, with their values exactly as they will be sent (host and x-amz-date included).
    /// </summary>
    public static string Authorization(
        string method, string path, string query, IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body,
        AcmCredentials credentials, string region, string service, DateTime signedAtUtc)
    {
        var sorted = headers
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(' ', h.Value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        var signedHeaders = string.Join(';', sorted.Select(h => h.Name));
        var canonical = new StringBuilder()
            .Append(method).Append('\n')
            .Append(path).Append('\n')
            .Append(CanonicalQuery(query)).Append('\n');
        foreach (var (name, value) in sorted)
        {
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(Convert.ToHexStringLower(SHA256.HashData(body)));
        var result = AWS4Signer.ComputeSignature(credentials.AccessKeyId, credentials.SecretAccessKey, region,
            DateTime.SpecifyKind(signedAtUtc, DateTimeKind.Utc), service, signedHeaders, canonical.ToString());
        return result.ForAuthorizationHeader;
    }

    /// <summary>The x-amz-date form of a time: 20150830T123600Z.</summary>
    public static string AmzDate(DateTime utc) => utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static string CanonicalQuery(string query) =>
        string.Join('&', query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(pair => (Name: pair[0], Value: pair.Length > 1 ? pair[1] : ""))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
}
