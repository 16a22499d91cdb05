using System.Net;
using RulesApi.Dns.Names;
using RulesApi.Dns.Views;

namespace RulesApi.Dns.Tests;

public sealed class NameServerAddressTests
{
    [Fact]
    public void The_label_made_on_first_use_does_not_change_equality()
    {
        var named = new NameServerAddress(DnsName.Parse("ns1.example.com."), IPAddress.Parse("192.0.2.53"));
        var same = new NameServerAddress(DnsName.Parse("ns1.example.com."), IPAddress.Parse("192.0.2.53"));

        Assert.Equal("ns1.example.com (192.0.2.53)", named.ToString());
        Assert.Equal(same, named);
        Assert.Equal(same.GetHashCode(), named.GetHashCode());
        Assert.NotEqual(named, same with { Address = IPAddress.Parse("192.0.2.54") });
        Assert.NotEqual(named, new NameServerAddress(DnsName.Parse("ns2.example.com."), IPAddress.Parse("192.0.2.53")));
        Assert.NotEqual(named, same with { Address = null });
    }

    [Fact]
    public void A_copy_with_another_address_is_labelled_by_its_own_address()
    {
        var first = new NameServerAddress(DnsName.Parse("ns1.example.com."), IPAddress.Parse("192.0.2.53"));
        _ = first.ToString();

        var moved = first with { Address = IPAddress.Parse("192.0.2.99") };

        Assert.Equal("ns1.example.com (192.0.2.99)", moved.ToString());
        Assert.Equal("ns1.example.com", (first with { Address = null }).ToString());
    }
}
