using RulesApi.Fixtures;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Tests;

/// <summary>
/// Every built-in rule says what it can report: its messages, each with an id, a severity and a template.
/// A finding of a built-in rule carries one of them (a profile sets severities by message id), and with
/// the default profile the message's severity.
/// </summary>
public sealed class MessageCatalogTests
{
    private static readonly IReadOnlyDictionary<string, RuleMetadata> BuiltIn =
        RuleCatalog.BuiltInRules().ToDictionary(rule => rule.Metadata.Id, rule => rule.Metadata, StringComparer.Ordinal);

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var name in FixtureScenario.BuiltIn.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(name);
        }

        return data;
    }

    public static TheoryData<string, string> Zones()
    {
        var data = new TheoryData<string, string>();
        foreach (var scenario in Scenario.All())
        {
            data.Add(scenario.RuleId, scenario.File);
        }

        return data;
    }

    [Fact]
    public void Every_built_in_rule_declares_its_messages()
    {
        Assert.All(BuiltIn.Values, rule =>
        {
            Assert.True(rule.Messages.Count > 0, $"{rule.Id} declares no messages");
            Assert.All(rule.Messages, message =>
            {
                Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", message.Id);
                Assert.NotEqual(RuleMessages.Default, message.Id);
            });
            var ids = rule.Messages.Select(m => m.Id).ToList();
            Assert.True(ids.Distinct(StringComparer.OrdinalIgnoreCase).Count() == ids.Count, $"{rule.Id} declares a message id twice: {string.Join(", ", ids)}");
        });
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Fixture_findings_carry_declared_messages(string scenario) =>
        AssertDeclared($"fixture {scenario}", await FixtureRun.RunAsync(scenario));

    [Theory]
    [MemberData(nameof(Zones))]
    public async Task Zone_findings_carry_declared_messages(string ruleId, string file) =>
        AssertDeclared($"zone {ruleId}/{file}", await new Scenario(ruleId, file, file.StartsWith("triggers-", StringComparison.Ordinal)).RunAsync());

    private static void AssertDeclared(string scenario, DiagnosisReport report)
    {
        // The engine's own finding for a rule that failed or ran out of time has no message of the rule's.
        var findings = report.Findings.Where(f => !(f.Inconclusive && f.MessageId == RuleMessages.Default)).ToList();
        Assert.All(findings, finding =>
        {
            var rule = BuiltIn[finding.RuleId];
            var message = rule.Messages.FirstOrDefault(m => m.Id == finding.MessageId);
            Assert.True(message is not null,
                $"{scenario}: {finding.RuleId} reported message '{finding.MessageId}', which is not one it declares ({string.Join(", ", rule.Messages.Select(m => m.Id))}): {finding.Message}");
            Assert.True(message.Severity == finding.Severity,
                $"{scenario}: {finding.RuleId} '{finding.MessageId}' is declared {message.Severity} but was reported as {finding.Severity}");
        });
    }
}
