using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace RulesApi.Api.Tests;

/// <summary>
/// The responses are what openapi.yaml says — every response of every test is checked (ServiceFactory),
/// and these requests cover each operation and status — and every request carries one id, in one format.
/// </summary>
public sealed class ContractTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;
    private readonly HttpClient _client;

    public ContractTests(ServiceFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    [Fact]
    public async Task Every_operation_and_status_answers_as_the_contract_says()
    {
        var zone = await File.ReadAllTextAsync(Path.Combine(ServiceFactory.RepositoryRoot, "samples", "example.com.zone"));
        using var dns = new StringContent(zone, Encoding.UTF8, "text/dns");
        using var bad = new StringContent("{\"domains\": [\"exa mple.com\"]}", Encoding.UTF8, "application/json");
        using var untyped = new ByteArrayContent("x"u8.ToArray());
        using var huge = new ByteArrayContent(new byte[17 * 1024 * 1024]);
        huge.Headers.ContentType = new("text/dns");
        var responses = new List<HttpResponseMessage>
        {
            await _client.PostAsJsonAsync("/diagnose", new { fixture = "caa-subdomain-override" }),
            await _client.PostAsJsonAsync("/diagnose", new { zoneFile = zone, domains = new[] { "www.example.com" }, provider = "godaddy" }),
            await _client.PostAsync("/diagnose?origin=example.com&domains=www.example.com", dns),
            await _client.PostAsync("/diagnose", bad),
            await _client.PostAsync("/diagnose", untyped),
            await _client.PostAsync("/diagnose?origin=example.com", huge),
            await _client.GetAsync("/rules"),
            await _client.GetAsync("/rules/NS001"),
            await _client.GetAsync("/rules/NOPE999"),
            await _client.GetAsync("/fixtures"),
            await _client.GetAsync("/healthz"),
            await _client.GetAsync("/health/live"),
            await _client.GetAsync("/health/ready"),
        };

        Assert.Equal([200, 200, 200, 400, 415, 413, 200, 200, 404, 200, 200, 200, 200], responses.Select(r => (int)r.StatusCode));
        Assert.True(_factory.ContractViolations.Count == 0, string.Join("\n", _factory.ContractViolations));
    }

    [Fact]
    public async Task The_check_refuses_what_the_contract_does_not_allow()
    {
        var body = await (await _client.PostAsJsonAsync("/diagnose", new { fixture = "caa-subdomain-override" })).Content.ReadAsStringAsync();

        Assert.Null(_factory.Contract.Check("POST", "/diagnose", 200, "application/json", body));
        Assert.NotNull(_factory.Contract.Check("POST", "/diagnose", 200, "application/json", body.Replace("\"blocked\"", "\"Blocked\"", StringComparison.Ordinal)));
        Assert.NotNull(_factory.Contract.Check("POST", "/diagnose", 200, "application/json", body.Replace("\"ruleId\"", "\"rule\"", StringComparison.Ordinal)));
        Assert.NotNull(_factory.Contract.Check("POST", "/diagnose", 418, "application/json", body));
        Assert.NotNull(_factory.Contract.Check("GET", "/rules", 200, "text/plain", "x"));
    }

    [Fact]
    public async Task Problems_have_one_type_base_a_page_each_and_the_w3c_trace_id()
    {
        using var bad = new StringContent("{\"domains\": [\"exa mple.com\"]}", Encoding.UTF8, "application/json");
        var responses = new[]
        {
            await _client.PostAsync("/diagnose", bad),
            await _client.GetAsync("/rules/NOPE999"),
            await _client.PostAsync("/diagnose", new ByteArrayContent("x"u8.ToArray())),
            // Written by the framework, not an endpoint: its type must be a page too.
            await _client.GetAsync("/diagnose"),
        };

        foreach (var response in responses)
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            var type = problem.GetProperty("type").GetString()!;
            Assert.StartsWith("/problems/", type, StringComparison.Ordinal);
            Assert.Matches("^[0-9a-f]{32}$", problem.GetProperty("traceId").GetString());
            var page = await _client.GetAsync(type);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.StartsWith($"# {type}", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_status_nothing_wrote_a_body_for_is_a_problem_document_and_plain_text_for_who_takes_no_json()
    {
        var unknown = await _client.GetAsync("/no-such-path");
        using var put = new HttpRequestMessage(HttpMethod.Put, "/diagnose");
        var wrongMethod = await _client.SendAsync(put);
        using var html = new HttpRequestMessage(HttpMethod.Get, "/no-such-path");
        html.Headers.Add("Accept", "text/html");
        var plain = await _client.SendAsync(html);

        foreach (var (response, status, type) in new[] { (unknown, 404, "/problems/not-found"), (wrongMethod, 405, "/problems/method-not-allowed") })
        {
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(type, problem.GetProperty("type").GetString());
            Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), problem.GetProperty("traceId").GetString());
        }

        Assert.Equal(HttpStatusCode.NotFound, plain.StatusCode);
        Assert.Equal("Status code 404; Not Found", await plain.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_traceparent_is_honoured_and_an_x_request_id_echoed()
    {
        const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/diagnose") { Content = new StringContent("{\"domains\": [\"exa mple.com\"]}", Encoding.UTF8, "application/json") };
        request.Headers.Add("traceparent", $"00-{TraceId}-00f067aa0ba902b7-01");
        request.Headers.Add("X-Request-Id", "ticket-4711");

        var response = await _client.SendAsync(request);

        Assert.Equal(TraceId, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("traceId").GetString());
        Assert.Equal("ticket-4711", response.Headers.GetValues("X-Request-Id").Single());

        var plain = await _client.GetAsync("/healthz");
        Assert.Matches("^[0-9a-f]{32}$", plain.Headers.GetValues("X-Request-Id").Single());
    }
}
