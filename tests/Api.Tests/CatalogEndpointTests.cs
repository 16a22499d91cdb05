using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RulesApi.Rules.Runtime;

namespace RulesApi.Api.Tests;

public sealed class CatalogEndpointTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;
    private readonly HttpClient _client;

    public CatalogEndpointTests(ServiceFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    [Fact]
    public async Task Get_rules_lists_every_rule_of_the_catalog()
    {
        var body = await _client.GetFromJsonAsync<JsonElement>("/rules");

        var ids = body.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(RuleCatalog.BuiltInRules().Select(r => r.Metadata.Id).Order(StringComparer.Ordinal), ids);
    }

    [Fact]
    public async Task Get_rule_returns_its_page()
    {
        var body = await _client.GetFromJsonAsync<JsonElement>("/rules/caa001");

        Assert.Equal("CAA001", body.GetProperty("rule").GetProperty("id").GetString());
        Assert.StartsWith("# CAA001", body.GetProperty("documentation").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_rule_lists_its_messages_and_options()
    {
        var ns001 = await _client.GetFromJsonAsync<JsonElement>("/rules/NS001");
        var messages = ns001.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("id").GetString(), m.GetProperty("severity").GetString())).ToList();
        Assert.Equal([("disjoint", "error"), ("overlapping", "warning")], messages);
        Assert.Contains("{delegation}", ns001.GetProperty("messages")[0].GetProperty("template").GetString(), StringComparison.Ordinal);

        var ttl001 = await _client.GetFromJsonAsync<JsonElement>("/rules/ttl001");
        var option = Assert.Single(ttl001.GetProperty("options").EnumerateArray());
        Assert.Equal(("maxTtl", 3600, 3600), (option.GetProperty("name").GetString(), option.GetProperty("default").GetDouble(), option.GetProperty("value").GetDouble()));
    }

    [Fact]
    public async Task An_unknown_rule_is_a_404_problem()
    {
        var response = await _client.GetAsync("/rules/NOPE999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Healthz_answers()
    {
        var body = await _client.GetFromJsonAsync<JsonElement>("/healthz");
        Assert.Equal("ok", body.GetProperty("status").GetString());
    }

    /// <summary>
    /// openapi.yaml is the contract callers read; it must be what the service serves. To refresh it after
    /// changing the API, run the tests with UPDATE_OPENAPI=1 and review the diff.
    /// </summary>
    [Fact]
    public async Task Openapi_yaml_matches_the_served_document()
    {
        var served = (await _client.GetStringAsync("/openapi.yaml")).ReplaceLineEndings("\n");
        var path = Path.Combine(ServiceFactory.RepositoryRoot, "openapi.yaml");
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, served);
        }

        Assert.True(File.Exists(path), "openapi.yaml is missing; run the tests with UPDATE_OPENAPI=1 to write it");
        Assert.Equal(served, (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n"));
        Assert.StartsWith("openapi: 3.1.0", served, StringComparison.Ordinal);
    }

}
