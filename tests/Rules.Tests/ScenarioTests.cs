namespace RulesApi.Rules.Tests;

/// <summary>Every scenario zone of every rule: triggering ones must produce the rule, quiet ones must not.</summary>
public sealed class ScenarioTests
{
    public static TheoryData<string, string> Scenarios()
    {
        var data = new TheoryData<string, string>();
        foreach (var scenario in Scenario.All())
        {
            data.Add(scenario.RuleId, scenario.File);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Scenario_produces_its_rule_exactly_when_it_should(string ruleId, string file)
    {
        var scenario = new Scenario(ruleId, file, file.StartsWith("triggers-", StringComparison.Ordinal));
        var report = await scenario.RunAsync();

        var produced = report.Findings.Where(f => f.RuleId == ruleId).ToList();
        var all = string.Join("\n", report.Findings.Select(f => $"{f.RuleId} {f.Name}: {f.Message}"));
        if (scenario.Triggers)
        {
            Assert.True(produced.Count > 0, $"{scenario} should produce {ruleId}; it produced:\n{all}");
        }
        else
        {
            Assert.True(produced.Count == 0, $"{scenario} should not produce {ruleId}; it produced:\n{all}");
        }
    }
}
