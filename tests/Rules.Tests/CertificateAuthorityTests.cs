using RulesApi.Dns.Names;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Tests;

/// <summary>CAs other than Amazon: each one's documented CAA identities decide, and the CAA family speaks of it.</summary>
public sealed class CertificateAuthorityTests
{
    private const string Zone = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n";

    private static Task<DiagnosisReport> Diagnose(string caa, string? ca, RuleProfile? profile = null) =>
        Diagnosers.Create(profile: profile).RunAsync(new DiagnosisRequest(DiagnosisInput.ZoneText.FromString(Zone + caa, DnsName.Parse("example.com.")))
        {
            Names = [DnsName.Parse("www.example.com.")],
            Ca = ca,
        }, CancellationToken.None);

    [Theory]
    [InlineData("amazon", "amazontrust.com")]
    [InlineData("letsencrypt", "letsencrypt.org")]
    [InlineData("google", "pki.goog")]
    [InlineData("digicert", "digicert.com")]
    [InlineData("digicert", "geotrust.com")]
    [InlineData("sectigo", "sectigo.com")]
    [InlineData("sectigo", "comodoca.com")]
    [InlineData("globalsign", "globalsign.com")]
    [InlineData("zerossl", "sectigo.com")]
    [InlineData("buypass", "buypass.no")]
    [InlineData("sslcom", "ssl.com")]
    [InlineData("entrust", "entrust.net")]
    [InlineData("godaddy", "starfieldtech.com")]
    public async Task A_CAs_own_identity_allows_it(string ca, string identity)
    {
        var report = await Diagnose($"@ CAA 0 issue \"{identity}\"\n", ca);
        Assert.DoesNotContain(report.Findings, f => f.RuleId == "CAA001");
        Assert.Equal(Verdict.Ok, Assert.Single(report.Names).Verdict);
    }

    [Fact]
    public async Task CAA001_speaks_of_the_chosen_CA_and_adds_its_identity()
    {
        var report = await Diagnose("@ CAA 0 issue \"amazon.com\"\n", "letsencrypt");
        var finding = Assert.Single(report.Findings, f => f.RuleId == "CAA001");
        Assert.Contains("None of Let's Encrypt's CA names (letsencrypt.org)", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Amazon", finding.Message, StringComparison.Ordinal);
        Assert.Equal("0 issue \"letsencrypt.org\"", Assert.Single(finding.Remediation!.Records).Value);
        Assert.Contains("keep the CAA records already there", finding.Remediation.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Amazon_is_the_default()
    {
        var finding = Assert.Single((await Diagnose("@ CAA 0 issue \"letsencrypt.org\"\n", null)).Findings, f => f.RuleId == "CAA001");
        Assert.Contains("None of Amazon's CA names (amazon.com, amazontrust.com, awstrust.com, amazonaws.com)", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_CA_is_the_fields_mistake_and_lists_the_known_ones()
    {
        var mistake = await Assert.ThrowsAsync<DiagnosisInputException>(() => Diagnose("", "nosuchca"));
        Assert.Equal("ca", mistake.Field);
        Assert.Contains("letsencrypt", mistake.Message, StringComparison.Ordinal);
        Assert.Contains("sectigo", mistake.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_profile_defines_a_CA_of_its_own()
    {
        var profile = RuleProfile.Parse("""{"cas": {"internal": {"name": "Our CA", "identities": ["ca.example.net"]}}}""");
        Assert.Empty(profile.Problems(RuleCatalog.Load([])));
        var allowed = await Diagnose("@ CAA 0 issue \"ca.example.net\"\n", "internal", profile);
        Assert.Equal(Verdict.Ok, Assert.Single(allowed.Names).Verdict);
        var refused = Assert.Single((await Diagnose("@ CAA 0 issue \"amazon.com\"\n", "internal", profile)).Findings, f => f.RuleId == "CAA001");
        Assert.Contains("None of Our CA's CA names (ca.example.net)", refused.Message, StringComparison.Ordinal);
        Assert.NotEmpty(RuleProfile.Parse("""{"cas": {"bad": {"identities": ["ca.example.net."]}}}""").Problems(RuleCatalog.Load([])));
    }

    [Fact]
    public void A_malformed_CA_id_is_refused_by_the_parser() =>
        Assert.Equal("ca", Assert.Single(DiagnosisRequestParser.Parse(new DiagnosisRequestFields { Domains = ["example.com"], Ca = "not a ca" }).Errors).Field);
}
