using System.Net;
using DnsClient;
using DnsClient.Protocol;
using RulesApi.FixtureServer;

namespace RulesApi.Fixtures.Tests;

/// <summary>
/// The loopback fixture server, asked over the wire with DnsClient exactly as a resolver would: every
/// client is built with the server's loopback address and port, never the machine's resolvers.
/// </summary>
public sealed class FixtureDnsServerTests : IDisposable
{
    private readonly FixtureDnsServer _server = FixtureDnsServer.Start(FixtureScenario.BuiltIn["caa-through-cdn-cname"]);

    public void Dispose() => _server.Dispose();

    private LookupClient Client(string address, bool tcp = false) => new(new LookupClientOptions(new NameServer(IPAddress.Parse(address), _server.Port))
    {
        UseCache = false,
        Recursion = false,
        Retries = 0,
        Timeout = TimeSpan.FromSeconds(2),
        ThrowDnsErrors = false,
        UseTcpOnly = tcp,
    });

    [Fact]
    public async Task The_root_refers_to_the_tld_with_glue()
    {
        var response = await Client("127.0.10.1").QueryAsync("shop.example.com", QueryType.CAA);

        Assert.False(response.Header.HasAuthorityAnswer);
        Assert.Empty(response.Answers);
        Assert.Equal("ns.tld-servers.test.", Assert.Single(response.Authorities.NsRecords()).NSDName.Value);
        Assert.Equal(IPAddress.Parse("127.0.10.2"), Assert.Single(response.Additionals.ARecords()).Address);
    }

    [Fact]
    public async Task The_customer_zone_answers_with_its_cname_and_the_provider_zone_with_the_caa()
    {
        var cname = await Client("127.0.10.3").QueryAsync("shop.example.com", QueryType.CAA);
        Assert.True(cname.Header.HasAuthorityAnswer);
        Assert.Equal("edge.cdn-example.net.", Assert.Single(cname.Answers.CnameRecords()).CanonicalName.Value);

        var caa = await Client("127.0.10.4").QueryAsync("edge.cdn-example.net", QueryType.CAA);
        var record = Assert.Single(caa.Answers.OfType<CaaRecord>());
        Assert.Equal(("issue", "digicert.com"), (record.Tag, record.Value));
    }

    [Fact]
    public async Task Missing_names_and_types_come_back_as_nxdomain_and_nodata_with_the_soa()
    {
        var nxdomain = await Client("127.0.10.3", tcp: true).QueryAsync("nope.example.com", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, nxdomain.Header.ResponseCode);
        Assert.Single(nxdomain.Authorities.SoaRecords());

        var nodata = await Client("127.0.10.3").QueryAsync("example.com", QueryType.AAAA);
        Assert.Equal(DnsHeaderResponseCode.NoError, nodata.Header.ResponseCode);
        Assert.Empty(nodata.Answers);
        Assert.Single(nodata.Authorities.SoaRecords());
    }

    [Fact]
    public async Task A_server_refuses_names_outside_its_zones()
    {
        var response = await Client("127.0.10.4").QueryAsync("example.com", QueryType.A);

        Assert.Equal(DnsHeaderResponseCode.Refused, response.Header.ResponseCode);
    }

    [Fact]
    public void Every_scenario_has_glue_for_each_of_its_zones()
    {
        foreach (var scenario in FixtureScenario.BuiltIn.Values)
        {
            using var server = FixtureDnsServer.Start(scenario);
            Assert.All(scenario.Zones, zone => Assert.Contains(server.ZonesByAddress.Values, zones => zones.Any(z => z.Apex == zone.Apex)));
        }
    }
}
