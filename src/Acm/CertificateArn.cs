using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace RulesApi.Acm;

/// <summary>
/// An ACM certificate's ARN, checked before anything is sent: <c>arn:aws:acm:us-east-1:123456789012:certificate/&lt;id&gt;</c>.
/// The region decides the endpoint (and the signing scope), so it must be a region name and nothing
/// that could turn into another host.
/// </summary>
public sealed partial record CertificateArn(string Partition, string Region, string AccountId, string CertificateId)
{
    /// <summary>The ARN as ACM writes it.</summary>
    public override string ToString() => $"arn:{Partition}:acm:{Region}:{AccountId}:certificate/{CertificateId}";

    public static bool TryParse(string? text, [NotNullWhen(true)] out CertificateArn? arn, out string error)
    {
        arn = null;
        var example = "ARNs look like arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"is empty; {example}.";
            return false;
        }

        // ACM's own limit for CertificateArn is 2048 characters.
        if (text.Length > 2048)
        {
            error = "is longer than the 2048 characters ACM allows in an ARN.";
            return false;
        }

        var parts = text.Trim().Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn")
        {
            error = $"'{Shorten(text)}' is not an ARN; {example}.";
            return false;
        }

        if (parts[2] != "acm")
        {
            error = $"is an ARN of the '{Shorten(parts[2])}' service, not of ACM (arn:aws:acm:…); {example}.";
            return false;
        }

        if (!AcmEndpoints.IsKnownPartition(parts[1]))
        {
            error = $"names the partition '{Shorten(parts[1])}'; RulesApi knows {string.Join(", ", AcmEndpoints.Partitions)}.";
            return false;
        }

        if (!AcmEndpoints.IsRegionName(parts[3]))
        {
            error = $"names the region '{Shorten(parts[3])}', which is not a region name such as us-east-1.";
            return false;
        }

        if (!AccountPattern().IsMatch(parts[4]))
        {
            error = $"names the account '{Shorten(parts[4])}'; an AWS account ID is 12 digits.";
            return false;
        }

        if (!parts[5].StartsWith("certificate/", StringComparison.Ordinal) || !IdPattern().IsMatch(parts[5]["certificate/".Length..]))
        {
            error = $"ends in '{Shorten(parts[5])}'; an ACM certificate's ARN ends in certificate/ and its ID (letters, digits and '-').";
            return false;
        }

        arn = new CertificateArn(parts[1], parts[3], parts[4], parts[5]["certificate/".Length..]);
        error = "";
        return true;
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountPattern();

    [GeneratedRegex("^[A-Za-z0-9-]{1,128}$")]
    private static partial Regex IdPattern();
}
