using System.Net;
using System.Text;
using System.Text.Json;

namespace RulesApi.Api.Tests;

/// <summary>Issue 17: the answer to a large zone stays bounded, and a large value sent is not sent back whole.</summary>
public sealed class BoundedAnswerTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;
    private readonly HttpClient _client;

    public BoundedAnswerTests(ServiceFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    [Fact]
    public async Task An_audit_of_many_broken_caa_sets_reports_a_hundred_per_rule_and_a_thousand_names_and_counts_the_rest()
    {
        var zone = new StringBuilder("$TTL 3600\n@ SOA ns1 hostmaster 1 300 3600 3600 300\n@ NS ns1\nns1 A 192.0.2.1\n");
        for (var i = 0; i < 1000; i++)
        {
            zone.Append(System.Globalization.CultureInfo.InvariantCulture, $"o{i:D4} CAA 0 issue \"letsencrypt.org\"\n");
        }

        using var content = new StringContent(zone.ToString(), Encoding.UTF8, "text/dns");
        var response = await _client.PostAsync("/diagnose?origin=example.com", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var findings = report.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(100, findings.Count(f => f.GetProperty("ruleId").GetString() == "CAA001"));
        var cut = Assert.Single(report.GetProperty("truncated").EnumerateArray(), t => t.GetProperty("ruleId").GetString() == "CAA001");
        Assert.Equal(100, cut.GetProperty("reported").GetInt32());
        Assert.Equal(900, cut.GetProperty("omitted").GetInt32());
        var timers = Assert.Single(findings, f => f.GetProperty("ruleId").GetString() == "TTL003");
        Assert.Equal(1001, timers.GetProperty("nameCount").GetInt32());
        // 1,001 names (the owners and the apex) and at most 1,000 listed: the blocked owners are, the apex (ok) is counted.
        Assert.Equal(1000, report.GetProperty("names").EnumerateArray().Count(n => n.GetProperty("verdict").GetString() == "blocked"));
        var unlisted = report.GetProperty("namesTruncated");
        Assert.Equal((1000, 1, 1, 0), (unlisted.GetProperty("reported").GetInt32(), unlisted.GetProperty("omitted").GetInt32(),
            unlisted.GetProperty("ok").GetInt32(), unlisted.GetProperty("blocked").GetInt32()));
        Assert.Empty(_factory.ContractViolations);
    }

    [Fact]
    public async Task A_five_megabyte_provider_is_named_in_a_short_answer()
    {
        var huge = new string('p', 5_000_000);
        using var content = new StringContent(JsonSerializer.Serialize(new { domains = new[] { "www.example.com" }, provider = huge }), Encoding.UTF8, "application/json");

        var response = await _client.PostAsync("/diagnose", content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body.Length < 4096, $"the answer is {body.Length} characters");
        Assert.Equal("provider", JsonDocument.Parse(body).RootElement.GetProperty("errors")[0].GetProperty("name").GetString());
        Assert.Contains("(5000000 characters)", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_field_with_a_megabyte_name_is_named_in_part()
    {
        var name = new string('f', 1_000_000);
        using var content = new StringContent($"{{\"domains\": [\"www.example.com\"], \"{name}\": 1}}", Encoding.UTF8, "application/json");

        var response = await _client.PostAsync("/diagnose", content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body.Length < 4096, $"the answer is {body.Length} characters");
        Assert.StartsWith("fff", JsonDocument.Parse(body).RootElement.GetProperty("errors")[0].GetProperty("name").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_than_sixteen_parent_ds_records_are_refused_naming_the_field()
    {
        var ds = Enumerable.Repeat("12345 13 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE7A6E8E4C1E5B2B1D1E2A3B4C", 17).ToArray();
        using var content = new StringContent(JsonSerializer.Serialize(new { zoneFile = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n", origin = "example.com", parentDs = ds }),
            Encoding.UTF8, "application/json");

        var response = await _client.PostAsync("/diagnose", content);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("parentDs", Assert.Single(body.GetProperty("errors").EnumerateArray()).GetProperty("name").GetString());
        Assert.Contains("At most 16", body.GetProperty("errors")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}
