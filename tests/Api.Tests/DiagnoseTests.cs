using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Snapshooter.Xunit;

namespace RulesApi.Api.Tests;

public sealed class DiagnoseTests : IClassFixture<ServiceFactory>
{
    private const string Zone = "$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n@ CAA 0 issue \"letsencrypt.org\"\nwww A 192.0.2.2\n";

    private readonly HttpClient _client;

    public DiagnoseTests(ServiceFactory factory)
    {
        _client = factory.CreateClient();
    }

    [Fact]
    public async Task Names_against_a_zone_get_verdicts_findings_and_records_to_add()
    {
        var response = await _client.PostAsJsonAsync("/diagnose", new { domains = new[] { "www.example.com", "*.example.com" }, zoneFile = Zone, origin = "example.com" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("zone", body.GetProperty("source").GetString());
        Assert.Equal(["blocked", "blocked"], body.GetProperty("names").EnumerateArray().Select(n => n.GetProperty("verdict").GetString()));
        var finding = body.GetProperty("findings")[0];
        Assert.Equal("CAA001", finding.GetProperty("ruleId").GetString());
        Assert.Equal("error", finding.GetProperty("severity").GetString());
        Assert.Equal(5, finding.GetProperty("location").GetProperty("line").GetInt32());
        Assert.Equal("0 issue \"amazon.com\"", finding.GetProperty("remediation").GetProperty("records")[0].GetProperty("value").GetString());
    }

    [Fact]
    public async Task An_answer_declares_its_length_rather_than_coming_in_chunks()
    {
        // Headers first, as they came: a body read in full would have its length computed by the client.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/diagnose")
        {
            Content = JsonContent.Create(new { domains = new[] { "www.example.com" }, zoneFile = Zone, origin = "example.com" }),
        };
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var declared = response.Content.Headers.ContentLength;
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(body.Length > 1000, $"a report with a finding, not {body.Length} bytes");
        Assert.Equal(body.Length, declared);
        Assert.Equal("blocked", JsonDocument.Parse(body).RootElement.GetProperty("names")[0].GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task The_zone_can_be_sent_as_the_raw_body()
    {
        using var content = new StringContent(Zone, Encoding.UTF8, "text/dns");
        var response = await _client.PostAsync("/diagnose?origin=example.com&domains=www.example.com", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("www.example.com.", body.GetProperty("names")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_zone_alone_is_audited()
    {
        using var content = new StringContent(Zone, Encoding.UTF8, "text/dns");
        var body = await (await _client.PostAsync("/diagnose?origin=example.com", content)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("zone-audit", body.GetProperty("source").GetString());
        Assert.Equal(7, body.GetProperty("zone").GetProperty("lines").GetInt32());
        Assert.Contains("ZONE001", body.GetProperty("rulesRun").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task A_broken_zone_is_a_200_with_zone_findings()
    {
        var response = await _client.PostAsJsonAsync("/diagnose", new { zoneFile = "$TTL 300\n@ SOA ns1 h ( 1 2 3 4 5\n", origin = "example.com" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var parseError = body.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("ruleId").GetString() == "ZONE001");
        Assert.Equal(2, parseError.GetProperty("location").GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task A_snapshot_of_a_realistic_zone_diagnosis()
    {
        var zone = await File.ReadAllTextAsync(Path.Combine(ServiceFactory.RepositoryRoot, "samples", "example.com.zone"));
        var response = await _client.PostAsJsonAsync("/diagnose", new { domains = new[] { "example.com", "www.example.com", "*.example.com", "shop.example.com" }, zoneFile = zone });

        // Parsed, so that the snapshot is readable JSON and the timing field can be left out.
        var body = Newtonsoft.Json.Linq.JObject.Parse(await response.Content.ReadAsStringAsync());
        Snapshot.Match(body, options => options.IgnoreField("elapsedMs"));
    }

    public static TheoryData<string, string, string> BadRequests() => new()
    {
        { "{bad json", "serializerErrors", "invalid start of a property name" },
        { "{}", "domains", "Give 'domains'" },
        { """{"domains": "example.com"}""", "domains", "domains must be an array of strings" },
        { """{"domains": ["exa mple.com"], "zoneFile": ""}""", "domains[0]", "may contain only letters, digits and '-'" },
        { """{"domains": ["localhost"], "zoneFile": ""}""", "domains[0]", "single label" },
        { """{"domains": ["a.*.example.com"], "zoneFile": ""}""", "domains[0]", "not the whole first label" },
        { """{"domains": ["bücher.example"], "zoneFile": ""}""", "domains[0]", "A-label" },
        { """{"domains": ["192.0.2.1"], "zoneFile": ""}""", "domains[0]", "an IP address" },
        { """{"domains": ["www.example.123"], "zoneFile": ""}""", "domains[0]", "all digits" },
        { $$"""{"domains": ["{{new string('a', 64)}}.com"], "zoneFile": ""}""", "domains[0]", "label of 64 characters" },
        { $$"""{"domains": [{{string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"n{i}.example.com\""))}}], "zoneFile": ""}""", "domains", "At most 100 names" },
        { """{"zoneFile": "www A 192.0.2.1"}""", "origin", "give 'origin'" },
        { """{"zoneFile": "", "origin": "bad..name"}""", "origin", "empty label" },
        { """{"zoneFile": "", "origin": "example.com", "parentDs": ["12345 13 two ABCD"]}""", "parentDs[0]", "must be a DS record" },
    };

    [Fact]
    public async Task A_zone_audit_checks_the_parent_s_ds_given_with_it()
    {
        var zone = await File.ReadAllTextAsync(Path.Combine(ServiceFactory.RepositoryRoot, "tests", "Rules.Tests", "Scenarios", "SEC001", "quiet-ds-matches-ksk.zone"));
        async Task<List<string?>> Rules(string ds) => (await (await _client.PostAsJsonAsync("/diagnose", new { zoneFile = zone, origin = "example.com", parentDs = new[] { ds } }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString()).ToList();

        Assert.DoesNotContain("SEC001", await Rules("example.com. 3600 IN DS 63160 13 2 88728D4CED5376DFB90D76CE79FF0DC9C524B974DF51941CA63B91C034CDF63B"));
        Assert.Contains("SEC001", await Rules("2371 13 2 C988EC423E3880EB8DD8A46FE06CA36D4C1B8DAAB6B1A27F0C7A2E0B49F5D8C1"));
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_requests_get_400_problem_details_naming_the_field(string json, string field, string reason)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await _client.PostAsync("/diagnose", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == field);
        Assert.Contains(reason, error.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413()
    {
        using var content = new ByteArrayContent(new byte[17 * 1024 * 1024]);
        content.Headers.ContentType = new("text/dns");
        var response = await _client.PostAsync("/diagnose?origin=example.com", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_without_a_content_type_gets_415_with_a_problem()
    {
        using var content = new ByteArrayContent("x"u8.ToArray());
        var response = await _client.PostAsync("/diagnose", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Binary_zone_text_is_a_finding_not_a_crash()
    {
        using var content = new ByteArrayContent([0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00, 0x41]);
        content.Headers.ContentType = new("text/dns");
        var response = await _client.PostAsync("/diagnose?origin=example.com", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("binary data", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> ZoneText(string query, HttpStatusCode expected)
    {
        using var content = new StringContent(Zone, Encoding.UTF8, "text/dns");
        var response = await _client.PostAsync("/diagnose?" + query, content);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Text_dns_takes_provider_and_ca_as_query_parameters()
    {
        var body = await ZoneText("origin=example.com&domains=www.example.com&provider=godaddy&ca=letsencrypt", HttpStatusCode.OK);
        // The zone allows Let's Encrypt, the CA asked about: nothing blocks it.
        Assert.Equal("ok", body.GetProperty("names")[0].GetProperty("verdict").GetString());

        body = await ZoneText("origin=example.com&domains=www.example.com&provider=godaddy", HttpStatusCode.OK);
        var form = body.GetProperty("findings")[0].GetProperty("remediation").GetProperty("records")[0].GetProperty("form");
        Assert.Equal("godaddy", form.GetProperty("provider").GetString());
        Assert.Contains(form.GetProperty("fields").EnumerateArray(), f => f.GetProperty("label").GetString() == "Domain" && f.GetProperty("value").GetString() == "amazon.com");
    }

    [Theory]
    [InlineData("origin=example.com&provder=godaddy", "provder")]
    [InlineData("origin=example.com&provider=nosuch", "provider")]
    [InlineData("origin=example.com&domains=www.example.com&ca=nosuchca", "ca")]
    [InlineData("origin=example.com&origin=example.org", "origin")]
    [InlineData("origin=example.com&provider=godaddy&provider=nosuch", "provider")]
    [InlineData("origin=example.com&ca=amazon&ca=letsencrypt", "ca")]
    [InlineData("origin=", "origin")]
    public async Task Text_dns_refuses_unknown_parameters_and_values_by_name(string query, string field)
    {
        var body = await ZoneText(query, HttpStatusCode.BadRequest);
        Assert.Contains(body.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == field);
    }

    [Theory]
    [InlineData("domains=a.example.com", "domains")]
    [InlineData("origin=example.com", "origin")]
    [InlineData("bogus=1", "bogus")]
    public async Task A_json_body_takes_no_query_parameters(string query, string field)
    {
        using var content = new StringContent("""{"fixture": "healthy"}""", Encoding.UTF8, "application/json");
        var response = await _client.PostAsync("/diagnose?" + query, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray();
        Assert.Contains(errors, e => e.GetProperty("name").GetString() == field);
    }

    [Fact]
    public async Task Parent_ds_records_without_zone_text_are_refused_not_ignored()
    {
        // Only a zone audit reads parentDs: a fixture (or live DNS) reads the parent's DS records itself, and the ones given were dropped.
        var response = await _client.PostAsJsonAsync("/diagnose", new { fixture = "healthy", parentDs = new[] { "12345 13 1 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray();
        Assert.Contains(errors, e => e.GetProperty("name").GetString() == "parentDs");
    }

    [Fact]
    public async Task An_origin_without_zone_text_is_refused_not_ignored()
    {
        // The origin names zone text; without it (a fixture, or names alone, which go to live DNS) it was dropped without a word.
        var response = await _client.PostAsJsonAsync("/diagnose", new { fixture = "healthy", origin = "example.org" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray();
        Assert.Contains(errors, e => e.GetProperty("name").GetString() == "origin");
    }

    [Theory]
    [InlineData("other.org. 3600 IN DS 12345 13 1 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE", HttpStatusCode.BadRequest)]
    [InlineData("OTHER.ORG IN DS 12345 13 1 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE", HttpStatusCode.BadRequest)]
    [InlineData("Example.COM. 3600 IN DS 12345 13 1 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE", HttpStatusCode.OK)]
    [InlineData("3600 IN DS 12345 13 1 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE", HttpStatusCode.OK)]
    [InlineData("12345 13 1 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE", HttpStatusCode.OK)]
    public async Task A_whole_ds_line_for_another_zone_is_refused_not_checked_as_this_zone_s(string ds, HttpStatusCode expected)
    {
        // The owner of a whole DS line was dropped, and other.org's DS was checked against example.com's keys (SEC002).
        var response = await _client.PostAsJsonAsync("/diagnose", new { zoneFile = Zone, origin = "example.com", parentDs = new[] { ds } });

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.BadRequest)
        {
            var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray();
            Assert.Contains(errors, e => e.GetProperty("name").GetString() == "parentDs[0]");
        }
    }

    [Fact]
    public async Task An_empty_origin_is_refused_not_taken_for_the_root()
    {
        var response = await _client.PostAsJsonAsync("/diagnose", new { zoneFile = Zone, origin = "" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray();
        Assert.Contains(errors, e => e.GetProperty("name").GetString() == "origin");
    }

    [Fact]
    public async Task Text_dns_quotes_an_unknown_parameter_back_cut_short_and_names_only_the_first_few()
    {
        var longKey = new string('k', 5000);
        var many = string.Join("&", Enumerable.Range(0, 40).Select(i => $"x{i:D2}=1"));

        var body = await ZoneText($"origin=example.com&{longKey}=1&{many}", HttpStatusCode.BadRequest);

        var errors = body.GetProperty("errors").EnumerateArray().ToList();
        // The 5000-character name comes back as its first characters and its length, in the field and in the reason.
        var cut = Assert.Single(errors, e => e.GetProperty("name").GetString()!.StartsWith("kkk", StringComparison.Ordinal));
        Assert.Equal($"{new string('k', 64)}… (5000 characters)", cut.GetProperty("name").GetString());
        Assert.Contains("(5000 characters)", cut.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(cut.GetProperty("reason").GetString()!.Length < 300);
        // Forty-one unknown parameters: ten named, the rest counted.
        Assert.Equal(11, errors.Count);
        Assert.Contains("31 more query parameters", Assert.Single(errors, e => e.GetProperty("name").GetString() == "query").GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_ca_lists_the_known_ones()
    {
        var response = await _client.PostAsJsonAsync("/diagnose", new { domains = new[] { "www.example.com" }, zoneFile = Zone, origin = "example.com", ca = "nosuchca" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == "ca");
        Assert.Contains("letsencrypt", error.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}
