using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RulesApi.Api.Tests;

/// <summary>Optional API keys (Api:Keys, hashed): off by default; when on, a bearer key is needed everywhere but the open paths, and rate limits count per key.</summary>
public sealed class ApiKeyTests : IDisposable
{
    private const string CiKey = "ci-key-4711";
    private const string OpsKey = "ops-key-0815";

    private readonly List<ServiceFactory> _factories = [];

    public void Dispose()
    {
        foreach (var factory in _factories)
        {
            factory.Dispose();
        }
    }

    [Fact]
    public void A_key_is_configured_as_what_sha256sum_prints()
    {
        // printf %s "ci-key-4711" | sha256sum
        Assert.Equal("80bdde539fab62fed13e145d35c4fc0391910006e5f540cfce76f64c6fe8a04c", ApiKeys.Hash(CiKey));
    }

    [Fact]
    public async Task Off_by_default_no_key_is_asked_and_the_document_declares_no_scheme()
    {
        var factory = Host();
        var client = factory.CreateClient();

        var document = JsonNode.Parse(await client.GetStringAsync(new Uri("/openapi.json", UriKind.Relative)))!;
        Assert.Null(document["security"]);
        Assert.Null(document["components"]!["securitySchemes"]);
        Assert.DoesNotContain("securitySchemes", await File.ReadAllTextAsync(Path.Combine(ServiceFactory.RepositoryRoot, "openapi.yaml")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/diagnose", new { fixture = "caa-subdomain-override" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/rules", UriKind.Relative))).StatusCode);
        Assert.Empty(factory.ContractViolations);
    }

    [Fact]
    public async Task With_keys_on_a_request_without_a_key_or_with_a_wrong_one_gets_401_and_the_right_key_gets_through()
    {
        var factory = Host(("Api:Keys:ci", ApiKeys.Hash(CiKey)), ("Api:Keys:ops", ApiKeys.Hash(OpsKey)));
        var client = factory.CreateClient();

        var missing = await Diagnose(client, key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        var problem = await missing.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("/problems/unauthorized", problem.GetProperty("type").GetString());
        Assert.Contains("Authorization: Bearer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Bearer realm=\"RulesApi\"", missing.Headers.WwwAuthenticate.ToString());

        var wrong = await Diagnose(client, key: "ci-key-4712");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("error=\"invalid_token\"", wrong.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        // The hash from the configuration is not a key.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Diagnose(client, key: ApiKeys.Hash(CiKey))).StatusCode);
        // Another scheme is no key either.
        using var basic = new HttpRequestMessage(HttpMethod.Get, "/rules");
        basic.Headers.TryAddWithoutValidation("Authorization", "Basic " + CiKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(basic)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Diagnose(client, CiKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Diagnose(client, OpsKey)).StatusCode);
        using var lowercase = new HttpRequestMessage(HttpMethod.Get, "/rules");
        lowercase.Headers.TryAddWithoutValidation("Authorization", "bearer " + OpsKey);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(lowercase)).StatusCode);

        // Every API operation and the support page (it runs diagnoses) need the key.
        foreach (var path in new[] { "/rules", "/rules/CAA001", "/fixtures", "/", "/?domains=www.example.com" })
        {
            Assert.Equal((path, HttpStatusCode.Unauthorized), (path, (await client.GetAsync(new Uri(path, UriKind.Relative))).StatusCode));
            Assert.Equal((path, HttpStatusCode.OK), (path, (await Get(client, path, CiKey)).StatusCode));
        }

        Assert.Empty(factory.ContractViolations);
    }

    [Fact]
    public async Task With_keys_on_probes_the_contract_and_documentation_need_no_key()
    {
        var client = Host(("Api:Keys:ci", ApiKeys.Hash(CiKey))).CreateClient();

        foreach (var path in new[] { "/health/live", "/health/ready", "/healthz", "/openapi.json", "/openapi.yaml", "/problems/unauthorized", "/page.css", "/page.js", "/rules/CAA001.html" })
        {
            Assert.Equal((path, HttpStatusCode.OK), (path, (await client.GetAsync(new Uri(path, UriKind.Relative))).StatusCode));
        }

        // A path nobody listed is closed, not open: the key is asked before anything else is said.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/no-such-path", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task With_keys_on_the_served_document_declares_the_bearer_scheme_and_the_401s_and_passes_the_validator()
    {
        var client = Host(("Api:Keys:ci", ApiKeys.Hash(CiKey))).CreateClient();

        var json = await client.GetStringAsync(new Uri("/openapi.json", UriKind.Relative));
        var document = JsonNode.Parse(json)!;

        var scheme = document["components"]!["securitySchemes"]![Contract.OpenApiContract.SecurityScheme]!;
        Assert.Equal(("http", "bearer"), (scheme["type"]!.GetValue<string>(), scheme["scheme"]!.GetValue<string>()));
        Assert.Equal("[{\"apiKey\":[]}]", document["security"]!.ToJsonString());
        Assert.NotNull(document["paths"]!["/diagnose"]!["post"]!["responses"]!["401"]);
        Assert.NotNull(document["paths"]!["/rules"]!["get"]!["responses"]!["401"]);
        foreach (var health in new[] { "/health/live", "/health/ready", "/healthz" })
        {
            var operation = document["paths"]![health]!["get"]!;
            Assert.Equal((health, "[]"), (health, operation["security"]!.ToJsonString()));
            Assert.Null(operation["responses"]!["401"]);
        }

        var (exitCode, output) = await OpenApiValidatorTests.ValidateAsync(json);
        Assert.True(exitCode == 0, "the document served with keys on fails the OpenAPI 3.1 validator:\n" + output);
    }

    [Fact]
    public async Task With_keys_on_each_key_has_its_own_rate_and_made_up_keys_count_against_the_address()
    {
        var factory = Host(("Api:Keys:ci", ApiKeys.Hash(CiKey)), ("Api:Keys:ops", ApiKeys.Hash(OpsKey)), ("Api:Limits:RequestsPerMinute", "2"));
        var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await Get(client, "/rules", CiKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(client, "/rules", CiKey)).StatusCode);
        var refused = await Get(client, "/rules", CiKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(HttpStatusCode.OK, (await Get(client, "/rules", OpsKey)).StatusCode);

        // The same address with keys it made up: counted against the address, whatever the key, so a third try is refused.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(client, "/rules", "made-up-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(client, "/rules", "made-up-2")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Get(client, "/rules", "made-up-3")).StatusCode);
        // Still, a valid key of the same address has its own allowance.
        Assert.Equal(HttpStatusCode.OK, (await Get(client, "/rules", OpsKey)).StatusCode);
        Assert.Empty(factory.ContractViolations);
    }

    [Fact]
    public void A_key_configured_in_plain_text_stops_start_up_naming_the_setting()
    {
        var factory = Host(("Api:Keys:ci", CiKey));

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Api:Keys:ci must be the SHA-256 of the key", error.ToString(), StringComparison.Ordinal);
    }

    private ServiceFactory Host(params (string Key, string Value)[] settings)
    {
        var factory = new ServiceFactory { Settings = settings.ToDictionary(s => s.Key, s => s.Value) };
        _factories.Add(factory);
        return factory;
    }

    private static Task<HttpResponseMessage> Diagnose(HttpClient client, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/diagnose") { Content = JsonContent.Create(new { fixture = "caa-subdomain-override" }) };
        if (key is not null)
        {
            request.Headers.Authorization = new("Bearer", key);
        }

        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> Get(HttpClient client, string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", key);
        return client.SendAsync(request);
    }
}
