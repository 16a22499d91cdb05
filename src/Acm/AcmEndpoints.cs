using System.Text.RegularExpressions;

namespace RulesApi.Acm;

/// <summary>
/// Where ACM answers for a region: <c>https://acm.{region}.amazonaws.com/</c> (<c>.amazonaws.com.cn</c> in
/// China), unless <c>Acm:ServiceUrl</c> names another endpoint (a VPC endpoint, or a test's fake).
/// </summary>
public static partial class AcmEndpoints
{
    public static IReadOnlyList<string> Partitions { get; } = ["aws", "aws-cn", "aws-us-gov"];

    public static bool IsKnownPartition(string partition) => Partitions.Contains(partition, StringComparer.Ordinal);

    /// <summary>A region name as AWS spells them (us-east-1, eu-central-2, us-gov-west-1, cn-north-1): never a host or a path.</summary>
    public static bool IsRegionName(string? region) => region is { Length: <= 32 } && RegionPattern().IsMatch(region);

    /// <summary>The endpoint for a region; the override, when set, serves every region.</summary>
    public static Uri For(string region, Uri? serviceUrl = null)
    {
        if (!IsRegionName(region))
        {
            throw new ArgumentException($"'{region}' is not a region name", nameof(region));
        }

        if (serviceUrl is not null)
        {
            return serviceUrl;
        }

        var suffix = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://acm.{region}.{suffix}/");
    }

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$")]
    private static partial Regex RegionPattern();
}
