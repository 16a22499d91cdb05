using RulesApi.Dns.Names;
using RulesApi.Rules.Report;

namespace RulesApi.Rules.Facts;

/// <summary>
/// What is being diagnosed: the names to certify, the validation records ACM expects for them (when
/// known), the certificate's own description (when given), the DNS provider whose forms the
/// remediation should follow, and the identities of the CA that will issue. ACM's CA is known in CAA
/// records by four domain names (AWS: "Certificate Manager – CAA").
/// </summary>
public sealed record Subject(IReadOnlyList<DnsName> Names, IReadOnlyList<string> CaIdentities)
{
    public static readonly IReadOnlyList<string> AmazonIdentities = ["amazon.com", "amazontrust.com", "awstrust.com", "amazonaws.com"];

    /// <summary>The CNAME records ACM asked for, one per validated base name.</summary>
    public IReadOnlyList<ExpectedValidation> Validations { get; init; } = [];

    /// <summary>The certificate as <c>aws acm describe-certificate</c> printed it.</summary>
    public AcmCertificate? Certificate { get; init; }

    /// <summary>
    /// The provider the request named (or a fixture scenario's). A live diagnosis that names none reads it
    /// from the delegation while the rules run; the rules see only the one named (NS002 judges that one).
    /// </summary>
    public DnsProvider Provider { get; init; } = DnsProvider.Generic;

    /// <summary>The DS records the parent (the registrar) publishes for the zone, when a zone audit is given them.</summary>
    public IReadOnlyList<Dns.Records.DsData> ParentDs { get; init; } = [];

    /// <summary>Without names of its own, a subject is about the names its validation records validate.</summary>
    public Subject WithValidatedNames() =>
        Names.Count > 0 ? this : this with { Names = Validations.SelectMany(v => v.Domains).Distinct().ToList() };

    /// <summary>The CA's name as messages say it ("Amazon", "Let's Encrypt").</summary>
    public string CaName { get; init; } = "Amazon";

    /// <summary>The identity a fix writes in the record it proposes: the CA's first.</summary>
    public string CaIssuer => CaIdentities.Count > 0 ? CaIdentities[0] : "amazon.com";

    public bool IsCaIdentity(string issuer) =>
        CaIdentities.Any(identity => string.Equals(identity, issuer, StringComparison.OrdinalIgnoreCase));
}
