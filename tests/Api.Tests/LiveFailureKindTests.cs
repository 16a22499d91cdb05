using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RulesApi.Fixtures;
using RulesApi.FixtureServer;

namespace RulesApi.Api.Tests;

/// <summary>
/// Whom a failed lookup blames, over the wire against the loopback fixture server: the zone's servers
/// answering wrongly (SERVFAIL), the zone's servers all silent, the service's own root servers silent,
/// and the service's own resolvers silent. Only the first blames the zone; the others say the check
/// could not be done and why, and leave the name inconclusive.
/// </summary>
public sealed class LiveFailureKindTests : IDisposable
{
    private readonly ServiceFactory _factory = new();
    private readonly List<FixtureDnsServer> _servers = [];

    public void Dispose()
    {
        _factory.Dispose();
        foreach (var server in _servers)
        {
            server.Dispose();
        }
    }

    private FixtureDnsServer Start(string scenario, Func<IPAddress, bool>? listen = null)
    {
        var server = FixtureDnsServer.Start(FixtureScenario.BuiltIn[scenario], listen: listen);
        _servers.Add(server);
        return server;
    }

    private async Task<JsonElement> Diagnose(FixtureDnsServer server, string? resolver = null, string? root = null)
    {
        var port = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var client = _factory.WithWebHostBuilder(host => host
            .UseSetting("Dns:RootServers:0", root ?? server.RootAddress.ToString())
            .UseSetting("Dns:AllowPrivateAddresses", "true")
            .UseSetting("Dns:Resolvers:0", resolver ?? server.ResolverEndpoint)
            .UseSetting("Dns:QueryPort", port)
            // Long enough that a server that does answer is never taken for silent on a loaded CI machine (300 ms once
            // made the fixture's root look silent to SEC009's test); the silent ones cost this much per query.
            .UseSetting("Dns:QueryTimeoutMs", "1000")
            .UseSetting("Dns:DeadlineSeconds", "8")).CreateClient();
        var response = await client.PostAsJsonAsync("/diagnose", new { domains = new[] { "www.example.com" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string MessageOf(JsonElement report, string ruleId) =>
        Assert.Single(report.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == ruleId).GetProperty("message").GetString()!;

    private static string Verdict(JsonElement report) => report.GetProperty("names")[0].GetProperty("verdict").GetString()!;

    [Fact]
    public async Task CAA009_every_server_of_the_zone_silent_is_a_check_not_done_that_blames_no_one()
    {
        // example.com's only server (127.0.10.3) has no listener: the root and com answer, example.com's server never does.
        var server = Start("caa-subdomain-override", listen: address => !address.Equals(IPAddress.Parse("127.0.10.3")));

        var report = await Diagnose(server);

        Assert.Equal("inconclusive", Verdict(report));
        var message = MessageOf(report, "CAA009");
        Assert.Contains("could not be done", message, StringComparison.Ordinal);
        Assert.Contains("says nothing against the zone", message, StringComparison.Ordinal);
        Assert.Contains("did not answer in time", message, StringComparison.Ordinal);
        Assert.DoesNotContain("this service's own", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CAA009_the_services_own_root_servers_silent_is_the_services_problem_not_the_zones()
    {
        // The configured root is an address where nothing listens: the service cannot reach DNS at all.
        var server = Start("caa-subdomain-override");

        var report = await Diagnose(server, root: "127.0.10.99");

        Assert.Equal("inconclusive", Verdict(report));
        var message = MessageOf(report, "CAA009");
        Assert.Contains("this service's own DNS servers did not answer", message, StringComparison.Ordinal);
        Assert.Contains("not the zone", message, StringComparison.Ordinal);
        Assert.DoesNotContain("must refuse", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CAA009_a_server_that_answers_servfail_is_a_failed_lookup_that_the_zone_must_fix()
    {
        var server = Start("fault-caa-servfail");

        var report = await Diagnose(server);

        var message = MessageOf(report, "CAA009");
        Assert.Contains("answered SERVFAIL", message, StringComparison.Ordinal);
        Assert.Contains("must refuse to issue", message, StringComparison.Ordinal);
        Assert.DoesNotContain("says nothing against the zone", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SEC009_the_services_own_resolvers_silent_make_the_name_inconclusive_without_blaming_the_zone()
    {
        // A healthy zone, but the configured resolver is an address where nothing listens.
        var server = Start("healthy");

        var report = await Diagnose(server, resolver: $"127.0.10.98:{server.Port}");

        Assert.Equal("inconclusive", Verdict(report));
        var message = MessageOf(report, "SEC009");
        Assert.Contains("could not be checked", message, StringComparison.Ordinal);
        Assert.Contains("this service's own resolvers (127.0.10.98:", message, StringComparison.Ordinal);
        Assert.Contains("not the zone", message, StringComparison.Ordinal);
        // The authoritative lookups worked: nothing else is said about the zone.
        Assert.DoesNotContain(report.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "CAA009");
    }
}
