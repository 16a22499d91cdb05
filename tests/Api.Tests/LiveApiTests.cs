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

    private HttpClient Client(int timeoutMs = 2000, double deadlineSeconds = 10) => _factory.WithWebHostBuilder(host => host
        .UseSetting("Dns:RootServers:0", _server.RootAddress.ToString())
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
}
