using System.Reflection;
using RulesApi.Fixtures;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Tests;

/// <summary>
/// Every rule carries its weight in the repository: a page, triggering and quiet scenarios, and tests
/// named after it. A rule without them fails the build here, as ESLint's rule tests do.
/// </summary>
public sealed class CatalogTests
{
    private static readonly string RepositoryRoot = FindRoot();

    public static TheoryData<string> RuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var rule in RuleCatalog.BuiltInRules())
        {
            data.Add(rule.Metadata.Id);
        }

        return data;
    }

    [Fact]
    public void Ids_are_unique_well_formed_and_match_the_class_name()
    {
        var rules = RuleCatalog.BuiltInRules();
        Assert.Equal(rules.Count, rules.Select(r => r.Metadata.Id).Distinct().Count());
        Assert.True(rules.Count >= 21, $"only {rules.Count} built-in rules");
        Assert.All(rules, rule =>
        {
            Assert.Matches("^[A-Z]{2,4}[0-9]{3}$", rule.Metadata.Id);
            Assert.StartsWith(rule.Metadata.Id + "_", rule.GetType().Name, StringComparison.Ordinal);
            Assert.StartsWith(rule.Metadata.Family, rule.Metadata.Id, StringComparison.Ordinal);
            Assert.NotEmpty(rule.Metadata.References);
        });
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_has_a_page_scenarios_and_tests(string id)
    {
        var page = Path.Combine(RepositoryRoot, "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"{id} has no page at docs/rules/{id}.md");
        var text = File.ReadAllText(page);
        Assert.StartsWith($"# {id}", text, StringComparison.Ordinal);
        foreach (var heading in new[] { "## Why it matters", "## How to fix it", "## Example finding" })
        {
            Assert.Contains(heading, text, StringComparison.Ordinal);
        }

        // Zone scenarios here, or fixture scenarios (a DNS hierarchy) for rules that need servers to ask.
        var scenarios = Scenario.All().Where(s => s.RuleId == id).Select(s => s.Triggers)
            .Concat(FixtureScenario.BuiltIn.Values.Where(f => f.Metadata.Expect.Must.Contains(id)).Select(_ => true))
            .Concat(FixtureScenario.BuiltIn.Values.Where(f => f.Metadata.Expect.MustNot.Contains(id)).Select(_ => false))
            .ToList();
        Assert.Contains(true, scenarios);
        Assert.Contains(false, scenarios);

        var tests = typeof(CatalogTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Where(m => m.Name.StartsWith(id + "_", StringComparison.Ordinal));
        Assert.NotEmpty(tests);
    }

    [Fact]
    public void A_rule_assembly_from_a_folder_joins_the_catalog()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var folder = Path.Combine(RepositoryRoot, "samples", "SampleRulePlugin", "bin", configuration, "net10.0");

        var catalog = RuleCatalog.Load([folder]);

        var rule = catalog.Find("EXT001");
        Assert.NotNull(rule);
        Assert.Equal("RulesApi.SamplePlugin", rule.GetType().Assembly.GetName().Name);
        Assert.Equal(RuleCatalog.BuiltInRules().Count + 1, catalog.Rules.Count);
    }

    [Fact]
    public async Task A_plugin_rule_runs_like_a_built_in_one()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var catalog = RuleCatalog.Load([Path.Combine(RepositoryRoot, "samples", "SampleRulePlugin", "bin", configuration, "net10.0")]);
        var name = new string('a', 60) + ".example.com";
        var zone = $"$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n";

        var report = await Diagnosers.ZoneAsync(zone, [Dns.Names.DnsName.Parse(name + ".")], catalog);

        Assert.Contains(report.Findings, f => f.RuleId == "EXT001");
    }

    [Fact]
    public void A_missing_rule_folder_is_an_error_not_silence() =>
        Assert.Throws<DirectoryNotFoundException>(() => RuleCatalog.Load([Path.Combine(RepositoryRoot, "no-such-folder")]));

    internal static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RulesApi.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RulesApi.sln not found above " + AppContext.BaseDirectory);
    }
}
