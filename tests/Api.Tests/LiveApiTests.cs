using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RulesApi.Fixtures;
using RulesApi.FixtureServer;

namespace RulesApi.Api.Tests;

/// <summary>
/// POST /diagnose with names only: the service resolves them live. The service is configured, as an
/// operator would configure it, to iterate from the loopback fixture server (Dns:RootServers,
/// Dns:QueryPort), so the production code path runs and no query leaves this machine.
/// </summary>
public sealed class LiveApiTests : IDisposable
{
    private readonly FixtureDnsServer _server = FixtureDnsServer.Start(FixtureScenario.BuiltIn["caa-subdomain-override"]);
    private readonly ServiceFactory _factory = new();

    public void Dispose()
    {
        _factory.Dispose();
        _server.Dispose();
    }

    private HttpClient Client(int timeoutMs = 2000, double deadlineSeconds = 10, bool allowPrivate = true) => _factory.WithWebHostBuilder(host => host
        .UseSetting("Dns:RootServers:0", _server.RootAddress.ToString())
        .UseSetting("Dns:AllowPrivateAddresses", allowPrivate ? "true" : "false")
        .UseSetting("Dns:Resolvers:0", _server.ResolverEndpoint)
        .UseSetting("Dns:QueryPort", _server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .UseSetting("Dns:QueryTimeoutMs", timeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .UseSetting("Dns:DeadlineSeconds", deadlineSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))).CreateClient();

    [Fact]
    public async Task Names_alone_are_diagnosed_live_with_an_audit_trail()
    {
        var response = await Client().PostAsJsonAsync("/diagnose", new { domains = new[] { "www.example.com" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("live", body.GetProperty("source").GetString());
        Assert.Equal("blocked", body.GetProperty("names")[0].GetProperty("verdict").GetString());
        var rules = body.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString()).ToList();
        Assert.Contains("CAA001", rules);
        Assert.Contains("CAA008", rules);
        var queries = body.GetProperty("queries").EnumerateArray().ToList();
        Assert.NotEmpty(queries);
        Assert.All(queries, q => Assert.StartsWith("127.0.10.", q.GetProperty("server").GetString(), StringComparison.Ordinal));
        Assert.Contains(queries, q => q.GetProperty("name").GetString() == "www.example.com." && q.GetProperty("type").GetString() == "CAA");
    }

    [Fact]
    public async Task Servers_that_do_not_answer_make_the_verdict_inconclusive_within_the_deadline()
    {
        // Nothing listens on this port: every query times out, and the diagnosis still answers in time.
        _server.Dispose();
        var response = await Client(timeoutMs: 300, deadlineSeconds: 5).PostAsJsonAsync("/diagnose", new { domains = new[] { "www.example.com" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("inconclusive", body.GetProperty("names")[0].GetProperty("verdict").GetString());
        Assert.Contains(body.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "CAA009");
    }

    [Fact]
    public async Task A_delegation_to_an_address_the_service_does_not_query_is_a_finding_not_a_query()
    {
        // As in production: the configured root is trusted, but its referral to com's server on loopback is not followed.
        var response = await Client(allowPrivate: false).PostAsJsonAsync("/diagnose", new { domains = new[] { "www.example.com" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("inconclusive", body.GetProperty("names")[0].GetProperty("verdict").GetString());
        var caa = Assert.Single(body.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "CAA009");
        Assert.Contains("127.0.10.2 is a loopback (RFC 1122) address, which this service does not query", caa.GetProperty("message").GetString(), StringComparison.Ordinal);
        // Only what the configuration names was asked: the root server and the resolver.
        Assert.All(body.GetProperty("queries").EnumerateArray(), q => Assert.Contains(q.GetProperty("server").GetString(),
            new[] { $"{_server.RootAddress}:{_server.Port}", _server.ResolverEndpoint }));
    }
}
