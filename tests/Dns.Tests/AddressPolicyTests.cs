using System.Net;
using RulesApi.Dns.Live;

namespace RulesApi.Dns.Tests;

/// <summary>Which server addresses a live diagnosis refuses: the special-purpose ranges, in every IPv6 disguise.</summary>
public sealed class AddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.0.10.2", "loopback")]
    [InlineData("10.1.2.3", "RFC 1918")]
    [InlineData("172.16.0.1", "RFC 1918")]
    [InlineData("172.31.255.255", "RFC 1918")]
    [InlineData("192.168.1.1", "RFC 1918")]
    [InlineData("100.64.0.1", "RFC 6598")]
    [InlineData("100.127.255.254", "RFC 6598")]
    [InlineData("169.254.169.254", "cloud metadata")]
    [InlineData("0.0.0.0", "this network")]
    [InlineData("192.0.0.8", "IETF protocol")]
    [InlineData("192.0.2.53", "TEST-NET-1")]
    [InlineData("198.51.100.1", "TEST-NET-2")]
    [InlineData("203.0.113.9", "TEST-NET-3")]
    [InlineData("198.18.0.1", "benchmarking")]
    [InlineData("224.0.0.251", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("::", "unspecified")]
    [InlineData("::1", "loopback")]
    [InlineData("::127.0.0.1", "IPv4-compatible")]
    [InlineData("fd00:ec2::254", "unique local")]
    [InlineData("fc00::1", "unique local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("ff02::fb", "multicast")]
    [InlineData("2001:db8::53", "documentation")]
    [InlineData("3fff::1", "documentation")]
    [InlineData("2001:0:4136:e378::1", "Teredo")]
    [InlineData("100::1", "discard")]
    [InlineData("::ffff:127.0.0.1", "loopback (RFC 1122), IPv4-mapped")]
    [InlineData("::ffff:169.254.169.254", "link-local, where cloud metadata services live (RFC 3927), IPv4-mapped")]
    [InlineData("::ffff:10.0.0.1", "RFC 1918), IPv4-mapped")]
    [InlineData("64:ff9b::a9fe:a9fe", "embedded in a NAT64 address")]
    [InlineData("64:ff9b:1::1", "local-use")]
    [InlineData("2002:0a00:0001::1", "embedded in a 6to4 address")]
    public void Special_purpose_addresses_are_refused_with_their_reason(string address, string reason)
    {
        var why = AddressPolicy.WhyRefused(IPAddress.Parse(address));

        Assert.NotNull(why);
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("198.41.0.4")] // a.root-servers.net
    [InlineData("8.8.8.8")]
    [InlineData("172.15.255.255")] // just below 172.16/12
    [InlineData("172.32.0.0")] // just above it
    [InlineData("100.63.255.255")] // just below 100.64/10
    [InlineData("100.128.0.0")]
    [InlineData("169.253.255.255")]
    [InlineData("192.0.3.1")]
    [InlineData("223.255.255.255")]
    [InlineData("2001:500:2f::f")] // f.root-servers.net
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")] // NAT64 of 8.8.8.8
    [InlineData("2002:0808:0808::1")] // 6to4 of 8.8.8.8
    public void Public_addresses_may_be_asked(string address) =>
        Assert.Null(AddressPolicy.WhyRefused(IPAddress.Parse(address)));
}
