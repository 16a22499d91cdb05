using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RulesApi.Fixtures;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Tests;

/// <summary>
/// The catalog is the one source of truth: the README's rule table and each page's title and severity
/// are what the rules say, and each page's example finding is what its scenario really produces. After
/// changing a rule, run the tests with UPDATE_DOCS=1 to rewrite them, and review the diff.
/// </summary>
public sealed partial class DocsTests
{
    private static readonly string Root = CatalogTests.FindRoot();
    private static readonly bool Update = Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1";
    private static readonly JsonSerializerOptions Indented = new(ReportJson.Options) { WriteIndented = true };

    private static IReadOnlyList<RuleMetadata> Rules => RuleCatalog.BuiltInRules().Select(r => r.Metadata).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();

    public static TheoryData<string> RuleIds() => new(Rules.Select(r => r.Id));

    private static string Word(Severity severity) => JsonNamingPolicy.KebabCaseLower.ConvertName(severity.ToString());

    [Fact]
    public void The_readme_rule_table_is_the_catalog()
    {
        var path = Path.Combine(Root, "README.md");
        var readme = File.ReadAllText(path);
        var table = "| rule | default severity | title |\n|---|---|---|\n" +
            string.Concat(Rules.Select(r => $"| [{r.Id}](docs/rules/{r.Id}.md) | {Word(r.DefaultSeverity)} | {r.Title} |\n"));
        var existing = ReadmeTable().Match(readme);
        Assert.True(existing.Success, "README.md has no rule table under '## Rule catalog'");
        if (Update)
        {
            File.WriteAllText(path, readme[..existing.Index] + table + readme[(existing.Index + existing.Length)..]);
            return;
        }

        Assert.Equal(table, existing.Value);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void A_page_s_title_and_severity_are_the_rule_s(string id)
    {
        var rule = Rules.Single(r => r.Id == id);
        var path = Path.Combine(Root, "docs", "rules", id + ".md");
        var lines = File.ReadAllLines(path).ToList();
        var header = new[] { $"# {id}: {rule.Title}", "", $"Default severity: **{Word(rule.DefaultSeverity)}**. Family: {rule.Family}." };
        if (Update)
        {
            File.WriteAllLines(path, header.Concat(lines.Skip(3)));
            return;
        }

        Assert.Equal(header, lines.Take(3));
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void A_page_lists_the_rule_s_messages_and_options(string id)
    {
        var rule = Rules.Single(r => r.Id == id);
        var path = Path.Combine(Root, "docs", "rules", id + ".md");
        var page = File.ReadAllText(path);
        var expected = MessagesSection(rule);
        var existing = MessagesHeading().Match(page);
        var current = existing.Success ? existing.Value : "";
        if (Update && current != expected)
        {
            var at = existing.Success ? existing.Index : page.IndexOf("## Example\n", StringComparison.Ordinal);
            File.WriteAllText(path, page[..at] + expected + page[(at + current.Length)..]);
            return;
        }

        Assert.Equal(expected, current);
    }

    /// <summary>The page's "Messages" section as the catalog says it; none for a rule that declares no messages.</summary>
    private static string MessagesSection(RuleMetadata rule)
    {
        if (rule.Messages.Count == 0 && rule.Options.Count == 0)
        {
            return "";
        }

        var text = "## Messages\n";
        if (rule.Messages.Count > 0)
        {
            text += "\n| id | severity | text |\n|---|---|---|\n" +
                string.Concat(rule.Messages.Select(m => $"| `{m.Id}` | {Word(m.Severity)} | {m.Template.Replace("|", "\\|", StringComparison.Ordinal)} |\n"));
        }

        if (rule.Options.Count > 0)
        {
            text += "\nOptions a profile may set (`{\"rules\": {\"" + rule.Id + "\": {\"thresholds\": {…}}}}`):\n\n" +
                string.Concat(rule.Options.Select(o => $"- `{o.Name}`: {o.Description} Default {o.Default}, from {o.Minimum} to {o.Maximum}.\n"));
        }

        return text + "\n";
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public async Task A_page_s_example_finding_is_what_its_scenario_produces(string id)
    {
        var path = Path.Combine(Root, "docs", "rules", id + ".md");
        var page = File.ReadAllText(path);
        var example = ExampleFinding().Match(page);
        Assert.True(example.Success, $"{id}.md has no '## Example finding' with a JSON block");
        var documented = JsonNode.Parse(example.Groups["json"].Value)!;
        var name = documented["name"]?.GetValue<string>();

        var scenario = ExampleScenario().Match(page[..example.Index]);
        Assert.True(scenario.Success, $"{id}.md: the '## Example' section names no scenario (a zone under tests/Rules.Tests/Scenarios or a fixture)");
        if (scenario.Groups["zone"].Success)
        {
            // The zone the page shows is the scenario file itself (a signed zone's page shows its first lines).
            var zoneText = File.ReadAllText(Path.Combine(Root, scenario.Groups["zone"].Value)).TrimEnd('\n');
            var block = CodeBlock().Match(page, scenario.Index, example.Index - scenario.Index);
            Assert.True(block.Success, $"{id}.md: the '## Example' section shows no zone");
            var shows = block.Groups["text"].Value;
            var matches = shows == zoneText || zoneText.StartsWith(shows + "\n", StringComparison.Ordinal);
            if (Update && !matches)
            {
                File.WriteAllText(path, page[..block.Groups["text"].Index] + zoneText + page[(block.Groups["text"].Index + block.Groups["text"].Length)..]);
                return;
            }

            Assert.True(matches, $"{id}.md shows a zone that is not {scenario.Groups["zone"].Value} (UPDATE_DOCS=1 rewrites it):\n{shows}");
        }

        var fixture = scenario.Groups["fixture"].Success ? FixtureScenario.BuiltIn[scenario.Groups["fixture"].Value] : null;
        var report = fixture is null
            ? await new Scenario(id, Path.GetFileName(scenario.Groups["zone"].Value), Triggers: true).RunAsync()
            : await FixtureRun.RunAsync(fixture);
        var produced = report.Findings.Where(f => f.RuleId == id && (Update || f.Name == name)).ToList();
        Assert.True(produced.Count > 0, $"{id}.md: its scenario ({report.Source}, names {string.Join(",", report.Names.Select(n => n.Name))}) produced no {id} finding for {name}; it produced: {string.Join("; ", report.Findings.Select(f => $"{f.RuleId} {f.Name} {f.Message}"))}");

        // The page shows one of the findings the scenario produces, exactly as the API writes it.
        var actual = produced.Select(f => JsonSerializer.Serialize(f, Indented)).ToList();
        var shown = documented.ToJsonString(Indented);
        if (fixture?.Metadata.Signed is not null && !Update)
        {
            // A signed fixture gets fresh keys each time it is loaded: key tags, digests and signatures differ from run to run.
            (shown, actual) = (Numbers().Replace(shown, "#"), actual.Select(text => Numbers().Replace(text, "#")).ToList());
        }
        if (Update && !actual.Contains(shown))
        {
            File.WriteAllText(path, page[..example.Groups["json"].Index] + actual[0] + "\n" + page[(example.Groups["json"].Index + example.Groups["json"].Length)..]);
            return;
        }

        Assert.True(actual.Contains(shown), $"{id}.md's example finding is not what its scenario produces (UPDATE_DOCS=1 rewrites it); first difference:\n{FirstDifference(shown, actual[0])}");
    }

    private static string FirstDifference(string shown, string actual)
    {
        var (a, b) = (shown.Split('\n'), actual.Split('\n'));
        var line = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i], Math.Min(a.Length, b.Length));
        return $"line {line + 1}\n  page:     {(line < a.Length ? a[line] : "(end)")}\n  scenario: {(line < b.Length ? b[line] : "(end)")}";
    }

    [GeneratedRegex(@"```\n(?<text>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex("[0-9A-F]{2,}|[0-9]+")]
    private static partial Regex Numbers();

    [GeneratedRegex(@"## Messages\n.*?(?=## )", RegexOptions.Singleline)]
    private static partial Regex MessagesHeading();

    [GeneratedRegex(@"\| rule \| default severity \| title \|\n(\|.*\|\n)+")]
    private static partial Regex ReadmeTable();

    [GeneratedRegex(@"## Example finding\s*```json\n(?<json>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex ExampleFinding();

    [GeneratedRegex(@"## Example\b.*?`(?:(?<zone>tests/Rules\.Tests/Scenarios/[^`]+\.zone)|(?<fixture>[a-z0-9-]+)`)", RegexOptions.Singleline)]
    private static partial Regex ExampleScenario();
}
