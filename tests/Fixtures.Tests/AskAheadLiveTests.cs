using RulesApi.Dns.Live;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.FixtureServer;

namespace RulesApi.Fixtures.Tests;

/// <summary>
/// What a live view asks ahead once it knows the questions a diagnosis will put to every server
/// (<see cref="LiveDnsView.Expect"/>): the resolvers at once, and the servers of a zone that holds an
/// expected name as soon as a referral names them — so that the rules find the answers waiting.
/// </summary>
public sealed class AskAheadLiveTests
{
    private static readonly DnsName Www = DnsName.Parse("www.example.com.");

    private static async Task<IReadOnlyList<QueryLogEntry>> LogOnceItHas(LiveDnsView view, Func<QueryLogEntry, bool> wanted)
    {
        for (var waited = 0; waited < 200 && !view.QueryLog.Any(wanted); waited++)
        {
            await Task.Delay(50);
        }

        return view.QueryLog;
    }

    [Fact]
    public async Task A_referral_to_the_subjects_zone_sends_the_apex_and_expected_questions_to_each_of_its_servers()
    {
        using var server = FixtureDnsServer.Start(FixtureScenario.BuiltIn["healthy"]);
        var view = new LiveDnsView(server.LiveOptions());
        view.Expect([(Www, RecordType.CAA)], CancellationToken.None);

        // One resolved question only: no rule asks any single server anything.
        await view.QueryAsync(Www, RecordType.CAA, CancellationToken.None);
        var log = await LogOnceItHas(view, e => e is { Name: "example.com.", Type: "NS" });

        var zoneServer = $"127.0.10.3:{server.Port}";
        Assert.Contains(log, e => e is { Name: "example.com.", Type: "NS" } && e.Server == zoneServer);
        Assert.Contains(log, e => e is { Name: "example.com.", Type: "SOA" } && e.Server == zoneServer);
        // The resolver is asked the expected question at once, with recursion.
        Assert.Contains(log, e => e.Server == server.ResolverEndpoint && e.Name == "www.example.com." && e.Flags.Contains("rd", StringComparison.Ordinal));
        // Asking again what was asked ahead sends nothing new.
        var before = view.QueryLog.Count(e => e is { Name: "example.com.", Type: "NS" });
        await view.AskServerAsync(new NameServerAddress(DnsName.Parse("ns1.example.com."), System.Net.IPAddress.Parse("127.0.10.3")),
            DnsName.Parse("example.com."), RecordType.NS, CancellationToken.None);
        Assert.Equal(before, view.QueryLog.Count(e => e is { Name: "example.com.", Type: "NS" }));
    }

    [Fact]
    public async Task Without_expected_questions_nothing_is_asked_ahead()
    {
        using var server = FixtureDnsServer.Start(FixtureScenario.BuiltIn["healthy"]);
        var view = new LiveDnsView(server.LiveOptions());

        await view.QueryAsync(Www, RecordType.CAA, CancellationToken.None);

        Assert.DoesNotContain(view.QueryLog, e => e is { Name: "example.com.", Type: "NS" });
        Assert.DoesNotContain(view.QueryLog, e => e.Server == server.ResolverEndpoint);
    }

    [Fact]
    public async Task A_zone_that_holds_no_expected_name_is_not_asked_ahead()
    {
        using var server = FixtureDnsServer.Start(FixtureScenario.BuiltIn["healthy"]);
        var view = new LiveDnsView(server.LiveOptions());
        view.Expect([(DnsName.Parse("www.example.net."), RecordType.CAA)], CancellationToken.None);

        await view.QueryAsync(Www, RecordType.CAA, CancellationToken.None);
        await Task.Delay(500);

        Assert.DoesNotContain(view.QueryLog, e => e is { Name: "example.com.", Type: "NS" });
    }
}
