using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RulesApi.Fixtures;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Runtime;

namespace RulesApi.Api.Tests;

/// <summary>Every built-in scenario produces the rules it says it must, and none it says it must not, so no scenario can rot.</summary>
public sealed class FixtureScenarioTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public FixtureScenarioTests(ServiceFactory factory)
    {
        _factory = factory;
    }

    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var name in FixtureScenario.BuiltIn.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Scenario_produces_exactly_the_rules_it_promises(string name)
    {
        var scenario = FixtureScenario.BuiltIn[name];
        var diagnoser = _factory.Services.GetRequiredService<Diagnoser>();

        var report = await diagnoser.RunAsync(new DiagnosisRequest(new DiagnosisInput.Fixture(scenario)), CancellationToken.None);

        var produced = report.Findings.Select(f => f.RuleId).ToHashSet();
        var all = string.Join("\n", report.Findings.Select(f => $"{f.RuleId} {f.Name}: {f.Message}"));
        Assert.True(scenario.Metadata.Expect.Must.All(produced.Contains), $"{name} must produce {string.Join(", ", scenario.Metadata.Expect.Must)}; it produced:\n{all}");
        Assert.True(!scenario.Metadata.Expect.MustNot.Any(produced.Contains), $"{name} must not produce {string.Join(", ", scenario.Metadata.Expect.MustNot)}; it produced:\n{all}");
    }

    [Fact]
    public void Every_rule_that_works_without_zone_text_has_a_scenario()
    {
        var promised = FixtureScenario.BuiltIn.Values.SelectMany(s => s.Metadata.Expect.Must).ToHashSet();
        // VAL007, VAL008 and VAL010 read the zone's own records (zone text); fixtures are diagnosed as live DNS is.
        var needed = RuleCatalog.BuiltInRules().Select(r => r.Metadata.Id)
            .Where(id => new[] { "CAA", "VAL", "NS", "TTL" }.Any(family => id.StartsWith(family, StringComparison.Ordinal)) && id is not ("VAL007" or "VAL008" or "VAL010"));
        Assert.DoesNotContain(needed, id => !promised.Contains(id));
    }

    [Fact]
    public async Task Get_fixtures_lists_them_and_diagnose_runs_one()
    {
        var client = _factory.CreateClient();
        var list = await client.GetFromJsonAsync<JsonElement>("/fixtures");
        Assert.Contains("caa-letsencrypt-only", list.GetProperty("fixtures").EnumerateArray().Select(f => f.GetProperty("name").GetString()));

        var response = await client.PostAsJsonAsync("/diagnose", new { fixture = "caa-letsencrypt-only" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("fixture:caa-letsencrypt-only", body.GetProperty("source").GetString());
        Assert.Equal("blocked", body.GetProperty("names")[0].GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task An_unknown_fixture_is_a_400_naming_the_field()
    {
        var response = await _factory.CreateClient().PostAsJsonAsync("/diagnose", new { fixture = "nope" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("fixture", body.GetProperty("errors")[0].GetProperty("name").GetString());
    }
}
