using RulesApi.Dns.Names;

namespace RulesApi.Rules.Engine;

/// <summary>
/// What is being diagnosed: the names to certify and the identities of the CA that will issue.
/// ACM's CA is known in CAA records by four domain names (AWS: "Certificate Manager – CAA").
/// </summary>
public sealed record Subject(IReadOnlyList<DnsName> Names, IReadOnlyList<string> CaIdentities)
{
    public static readonly IReadOnlyList<string> AmazonIdentities = ["amazon.com", "amazontrust.com", "awstrust.com", "amazonaws.com"];

    public static Subject ForAcm(IReadOnlyList<DnsName> names) => new(names, AmazonIdentities);

    public bool IsCaIdentity(string issuer) =>
        CaIdentities.Any(identity => string.Equals(identity, issuer, StringComparison.OrdinalIgnoreCase));
}
