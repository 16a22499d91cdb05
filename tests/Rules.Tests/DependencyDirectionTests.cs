using System.Text.RegularExpressions;
using RulesApi.Fixtures;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Tests;

/// <summary>
/// Dependencies point one way. The parts of src/Rules that are not rule families — the rule contract,
/// the runtime, the report stage, the shared facts and the Diagnoser — never name a family: the engine
/// knows the contract, and families plug in. And the fixture scenarios know nothing of rules.
/// </summary>
public sealed partial class DependencyDirectionTests
{
    private static readonly string RulesFolder = Path.Combine(CatalogTests.FindRoot(), "src", "Rules");

    /// <summary>The families, as their rules' namespaces say (RulesApi.Rules.Caa, …).</summary>
    private static readonly IReadOnlyList<string> Families = RuleCatalog.BuiltInRules()
        .Select(rule => rule.GetType().Namespace!).Distinct().Order(StringComparer.Ordinal).ToList();

    private static readonly string[] Core = ["Contract", "Runtime", "Report", "Facts", "Diagnosis"];

    public static TheoryData<string> CoreFolders() => new(Core);

    [Theory]
    [MemberData(nameof(CoreFolders))]
    public void The_core_of_src_Rules_names_no_rule_family(string folder)
    {
        var files = Directory.GetFiles(Path.Combine(RulesFolder, folder), "*.cs");
        Assert.NotEmpty(files);
        Assert.True(Families.Count >= 7, $"only {Families.Count} families found: {string.Join(", ", Families)}");
        var offences = files.SelectMany(file => File.ReadLines(file)
                .Select((line, index) => (file, line, index))
                .Where(entry => Families.Any(family => NamesFamily(entry.line, family))))
            .Select(entry => $"{Path.GetFileName(entry.file)}:{entry.index + 1}: {entry.line.Trim()}")
            .ToList();
        Assert.True(offences.Count == 0, "the core names a rule family:\n" + string.Join("\n", offences));
    }

    /// <summary>The family's namespace in full, or one of its types named relative to RulesApi.Rules (<c>Caa.CaaDecision</c>).</summary>
    private static bool NamesFamily(string line, string family) =>
        line.Contains(family, StringComparison.Ordinal)
        || typeof(RuleCatalog).Assembly.GetTypes().Where(type => type.Namespace == family && !type.IsNested)
            .Any(type => Regex.IsMatch(line, $@"(?<![\w.]){Regex.Escape(family.Split('.')[^1])}\.{Regex.Escape(type.Name.Split('`')[0])}\b"));

    [Fact]
    public void Every_rule_lives_in_a_family_folder_and_none_in_the_core()
    {
        var core = Core.Select(folder => $"RulesApi.Rules.{folder}").ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(Families, core.Contains);
    }

    [Fact]
    public void The_fixture_scenarios_do_not_depend_on_the_rules()
    {
        var references = typeof(FixtureScenario).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.Contains("RulesApi.Dns", references);
        Assert.DoesNotContain("RulesApi.Rules", references);
    }
}
