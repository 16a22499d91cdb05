using System.Net;
using System.Net.Sockets;
using DnsClient;
using RulesApi.Dns.Live;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.FixtureServer;

namespace RulesApi.Fixtures.Tests;

/// <summary>
/// What makes servers of one zone differ, over the wire: a server with its own copy of the zone, a
/// fault on one server only, the scenario's caching resolver, and an answer too large for UDP.
/// </summary>
public sealed class ServerVariantTests
{
    private static LookupClient Client(FixtureDnsServer server, string address, bool recursion = false) =>
        new(new LookupClientOptions(new NameServer(IPAddress.Parse(address), server.Port))
        {
            UseCache = false,
            Recursion = recursion,
            Retries = 0,
            Timeout = TimeSpan.FromSeconds(2),
            ThrowDnsErrors = false,
        });

    [Fact]
    public async Task A_server_with_its_own_copy_serves_that_copy()
    {
        using var server = FixtureDnsServer.Start(FixtureScenario.BuiltIn["ns-server-lags"]);

        var current = await Client(server, "127.0.10.3").QueryAsync("example.com", QueryType.SOA);
        var lagging = await Client(server, "127.0.10.5").QueryAsync("example.com", QueryType.SOA);

        Assert.Equal(2024010102u, Assert.Single(current.Answers.SoaRecords()).Serial);
        Assert.Equal(2024010101u, Assert.Single(lagging.Answers.SoaRecords()).Serial);
    }

    [Fact]
    public async Task A_fault_on_one_server_leaves_the_others_answering()
    {
        using var server = FixtureDnsServer.Start(FixtureScenario.BuiltIn["ns-server-refuses"]);

        Assert.Equal(DnsHeaderResponseCode.Refused, (await Client(server, "127.0.10.5").QueryAsync("example.com", QueryType.SOA)).Header.ResponseCode);
        Assert.Equal(DnsHeaderResponseCode.NoError, (await Client(server, "127.0.10.3").QueryAsync("example.com", QueryType.SOA)).Header.ResponseCode);
    }

    [Fact]
    public async Task The_resolver_answers_recursively_and_hands_on_its_cached_negative_answer_with_the_ttl_left()
    {
        using var server = FixtureDnsServer.Start(FixtureScenario.BuiltIn["ns-resolver-cached"]);
        var resolver = Client(server, FixtureScenario.ResolverAddress.ToString(), recursion: true);

        var cached = await resolver.QueryAsync("_3f1a2b4c5d6e7f8091a2b3c4d5e6f708.www.example.com", QueryType.CNAME);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, cached.Header.ResponseCode);
        Assert.True(cached.Header.RecursionAvailable);
        // InitialTimeToLive is what the server sent; DnsClient's TimeToLive counts down from the moment the
        // answer was read, so it read 2399 once on a loaded CI machine.
        Assert.Equal(2400, Assert.Single(cached.Authorities.SoaRecords()).InitialTimeToLive);

        var fresh = await resolver.QueryAsync("www.example.com", QueryType.A);
        Assert.Equal("192.0.2.11", Assert.Single(fresh.Answers.ARecords()).Address.ToString());
    }

    [Fact]
    public async Task An_answer_too_large_for_udp_is_truncated_there_and_whole_over_tcp()
    {
        var files = FixtureScenario.BuiltIn["healthy"].Files.ToDictionary();
        files["example.com.zone"] += string.Concat(Enumerable.Range(0, 20).Select(i => $"big TXT \"{i:00} {new string('x', 200)}\"\n"));
        using var server = FixtureDnsServer.Start(FixtureScenario.Load("big-answer", files));

        // A plain UDP query without EDNS: the answer must not exceed 512 octets, so the server sets TC.
        var udp = await AskOverUdpWithoutEdns(new IPEndPoint(IPAddress.Parse("127.0.10.3"), server.Port), "big.example.com");
        Assert.True(udp.Length <= 512, $"{udp.Length} octets over UDP");
        Assert.True((udp[2] & 0x02) != 0, "TC bit not set");

        // The live view falls back to TCP and gets every record.
        var live = new LiveDnsView(server.LiveOptions());
        var answer = await live.AskServerAsync(new NameServerAddress(DnsName.Parse("ns1.example.com."), IPAddress.Parse("127.0.10.3")),
            DnsName.Parse("big.example.com."), RecordType.TXT, CancellationToken.None);
        Assert.Equal(20, answer.Answer.Matching.Count);
    }

    private static async Task<byte[]> AskOverUdpWithoutEdns(IPEndPoint server, string name)
    {
        // Header: ID 0x1234, flags 0 (no RD), one question; then QNAME, QTYPE TXT (16), QCLASS IN (1).
        var query = new List<byte> { 0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.Split('.'))
        {
            query.Add((byte)label.Length);
            query.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }

        query.AddRange([0, 0, 16, 0, 1]);
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await udp.SendAsync(query.ToArray(), server);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return (await udp.ReceiveAsync(timeout.Token)).Buffer;
    }
}
