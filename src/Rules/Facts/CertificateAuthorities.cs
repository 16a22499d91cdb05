namespace RulesApi.Rules.Facts;

/// <summary>
/// A CA as CAA knows it: the name a request gives (<c>ca</c>), the name a person reads, and the issuer
/// domain names the CA documents as its own in CAA records — any one of them authorises it; the first
/// is the one a fix proposes.
/// </summary>
public sealed record CertificateAuthority(string Id, string Name, IReadOnlyList<string> Identities);

/// <summary>
/// The CAs RulesApi knows, each with the CAA identities it documents (docs/cas.md cites where). A rule
/// profile may add CAs of its own (<c>{"cas": {"internal": {"name": "…", "identities": ["…"]}}}</c>).
/// </summary>
public static class CertificateAuthorities
{
    public static readonly CertificateAuthority Amazon = new("amazon", "Amazon", Subject.AmazonIdentities);

    public static readonly IReadOnlyList<CertificateAuthority> BuiltIn =
    [
        Amazon,
        new("letsencrypt", "Let's Encrypt", ["letsencrypt.org"]),
        new("google", "Google Trust Services", ["pki.goog"]),
        // DigiCert's TLS CP/CPS §4.2.1 lists the identifiers it recognises (its brands and partner labels);
        // it also lists Amazon's four, which are left to "amazon" here so that each CA names its own.
        new("digicert", "DigiCert", [
            "digicert.com", "www.digicert.com", "digicert.ne.jp", "cybertrust.ne.jp", "symantec.com", "thawte.com", "geotrust.com",
            "rapidssl.com", "quovadisglobal.com", "digitalcertvalidation.com", "volusion.digitalcertvalidation.com",
            "stratossl.digitalcertvalidation.com", "intermediatecertificate.digitalcertvalidation.com", "1and1.digitalcertvalidation.com",
            "pkioverheid.nl", "flipkart.com"]),
        new("sectigo", "Sectigo", ["sectigo.com", "comodoca.com", "comodo.com", "usertrust.com", "trust-provider.com"]),
        new("globalsign", "GlobalSign", ["globalsign.com"]),
        // ZeroSSL issues through Sectigo and asks for Sectigo's identity.
        new("zerossl", "ZeroSSL", ["sectigo.com"]),
        new("buypass", "Buypass", ["buypass.com", "buypass.no"]),
        new("sslcom", "SSL.com", ["ssl.com"]),
        new("entrust", "Entrust", ["entrust.net"]),
        new("godaddy", "GoDaddy (Starfield)", ["godaddy.com", "starfieldtech.com"]),
    ];

    public static IReadOnlyList<string> Ids(IEnumerable<CertificateAuthority>? extra = null) =>
        BuiltIn.Concat(extra ?? []).Select(ca => ca.Id).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Finds a CA by its id, ignoring case: a profile's own CAs first, then the built-in ones.</summary>
    public static CertificateAuthority? Find(string id, IEnumerable<CertificateAuthority>? extra = null) =>
        (extra ?? []).Concat(BuiltIn).FirstOrDefault(ca => string.Equals(ca.Id, id, StringComparison.OrdinalIgnoreCase));
}
