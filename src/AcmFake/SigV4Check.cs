using System.Security.Cryptography;
using System.Text;

namespace RulesApi.AcmFake;

/// <summary>
/// Signature Version 4 written out independently of the AWS SDK (HMAC-SHA256 chain over the canonical
/// request), so that the fake checks the client's signatures rather than agreeing with itself. A unit
/// test holds it to AWS's published test vectors.
/// </summary>
public static class SigV4Check
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The canonical request: method, path, sorted query, the signed headers (lower-case, trimmed, sorted), their names, and the body's hash.</summary>
    public static string CanonicalRequest(string method, string path, string query, IEnumerable<KeyValuePair<string, string>> signedHeaders, string payloadHash)
    {
        var headers = signedHeaders
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(' ', h.Value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        var canonicalQuery = string.Join('&', query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: p[0], Value: p.Length > 1 ? p[1] : ""))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));
        return $"{method}\n{path}\n{canonicalQuery}\n{string.Concat(headers.Select(h => $"{h.Name}:{h.Value}\n"))}\n{string.Join(';', headers.Select(h => h.Name))}\n{payloadHash}";
    }

    /// <summary>The string to sign: algorithm, the request's time, the scope, and the canonical request's hash.</summary>
    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    /// <summary>The signature: HMAC over the string to sign with the key derived from the secret, date, region and service.</summary>
    public static string Signature(string secret, string date, string region, string service, string stringToSign)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        return Hex(Hmac(key, stringToSign));
    }

    public static string PayloadHash(ReadOnlySpan<byte> body) => Hex(SHA256.HashData(body));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
