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
        // Silence of the configured root server is the service's own problem: the finding says the check could not be done, and why.
        var caa = Assert.Single(body.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "CAA009");
        Assert.Contains("could not be done", caa.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("this service's own DNS servers did not answer", caa.GetProperty("message").GetString(), StringComparison.Ordinal);
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

    [Fact]
    public async Task Without_a_provider_a_live_diagnosis_detects_it_from_the_delegation()
    {
        // ns-changed-in-zone-editor: .com delegates example.com to ns1/ns2.domaincontrol.com (GoDaddy).
        using var server = FixtureDnsServer.Start(FixtureScenario.BuiltIn["ns-changed-in-zone-editor"]);
        var client = _factory.WithWebHostBuilder(host => host
            .UseSetting("Dns:RootServers:0", server.RootAddress.ToString())
            .UseSetting("Dns:AllowPrivateAddresses", "true")
            .UseSetting("Dns:Resolvers:0", server.ResolverEndpoint)
            .UseSetting("Dns:QueryPort", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))).CreateClient();
        var response = await client.PostAsJsonAsync("/diagnose", new
        {
            domains = new[] { "www.example.com" },
            validationRecords = new[] { new { name = "_3f1a2b4c5d6e7f8091a2b3c4d5e6f708.www.example.com.", value = "_9a8b7c6d5e4f30211a2b3c4d5e6f7081.abcdefghij.acm-validations.aws." } },
        });

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var detected = body.GetProperty("providerDetected");
        Assert.Equal(("godaddy", "GoDaddy"), (detected.GetProperty("provider").GetString(), detected.GetProperty("name").GetString()));
        Assert.Equal(["ns1.domaincontrol.com", "ns2.domaincontrol.com"], detected.GetProperty("from").EnumerateArray().Select(n => n.GetString()).Order());
        var findings = body.GetProperty("findings").EnumerateArray().ToList();
        // The forms follow GoDaddy's; NS002 (edited at a provider not delegated to) is only for a provider the request names.
        var val001 = Assert.Single(findings, f => f.GetProperty("ruleId").GetString() == "VAL001");
        Assert.Equal("godaddy", val001.GetProperty("remediation").GetProperty("records")[0].GetProperty("form").GetProperty("provider").GetString());
        Assert.DoesNotContain(findings, f => f.GetProperty("ruleId").GetString() == "NS002");

        // Named in the request, the provider is not detected.
        var named = await (await client.PostAsJsonAsync("/diagnose", new { domains = new[] { "www.example.com" }, provider = "cloudflare" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(named.TryGetProperty("providerDetected", out _));
    }
}
