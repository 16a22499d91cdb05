using DnsClient;
using DnsClient.Protocol;
using RulesApi.Dns.Live;
using RulesApi.Dns.Names;

namespace RulesApi.Dns.Tests;

/// <summary>Which referrals the iterative resolver follows (RFC 1034 §5.3.3): only down, and only towards the name asked.</summary>
public sealed class BailiwickTests
{
    private static NsRecord Ns(string owner, string target) =>
        new(new ResourceRecordInfo(owner, ResourceRecordType.NS, QueryClass.IN, 3600, 0), DnsString.Parse(target));

    [Theory]
    [InlineData(".", "com.", "www.example.com.")]
    [InlineData("com.", "example.com.", "www.example.com.")]
    [InlineData("com.", "www.example.com.", "www.example.com.")] // a cut at the name itself
    [InlineData("com.", "example.com.", "example.com.")]
    public void A_referral_down_towards_the_name_is_followed(string zone, string cut, string name) =>
        Assert.Null(IterativeResolver.OutOfBailiwick([Ns(cut, "ns1.example.net.")], DnsName.Parse(zone), DnsName.Parse(name)));

    [Theory]
    [InlineData("com.", ".", "www.example.com.")] // upward: back to the root
    [InlineData("com.", "com.", "www.example.com.")] // sideways: the zone itself
    [InlineData("com.", "net.", "www.example.com.")] // another branch
    [InlineData("com.", "example.org.", "www.example.com.")]
    [InlineData("example.com.", "other.example.com.", "www.example.com.")] // below the zone, but not above the name
    [InlineData("com.", "a.www.example.com.", "www.example.com.")] // below the name
    public void A_referral_anywhere_else_is_ignored(string zone, string cut, string name)
    {
        var why = IterativeResolver.OutOfBailiwick([Ns(cut, "ns1.example.net.")], DnsName.Parse(zone), DnsName.Parse(name));

        Assert.NotNull(why);
        Assert.Contains("RFC 1034", why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_referral_naming_two_zones_is_ignored() =>
        Assert.NotNull(IterativeResolver.OutOfBailiwick([Ns("example.com.", "ns1.example.net."), Ns("net.", "ns1.example.net.")],
            DnsName.Parse("com."), DnsName.Parse("www.example.com.")));
}
