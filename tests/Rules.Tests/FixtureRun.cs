using RulesApi.Fixtures;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Tests;

/// <summary>Runs every built-in rule over a fixture scenario through its fixture view, at a fixed "now".</summary>
public static class FixtureRun
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public static Task<DiagnosisReport> RunAsync(string scenario, DnsProvider provider = DnsProvider.Generic, RuleProfile? profile = null) =>
        RunAsync(FixtureScenario.BuiltIn[scenario], provider, profile);

    public static Task<DiagnosisReport> RunAsync(FixtureScenario scenario, DnsProvider provider = DnsProvider.Generic, RuleProfile? profile = null) =>
        new FixtureDiagnosis(new RuleEngine(new RuleCatalog(RuleCatalog.BuiltInRules()), new FixedClock(Now)))
            .RunAsync(scenario, [], provider, profile ?? RuleProfile.Default, TimeSpan.FromSeconds(10), CancellationToken.None);

    /// <summary>A built-in scenario with some of its files replaced (or added).</summary>
    public static FixtureScenario Variant(string scenario, params (string File, string Text)[] changes)
    {
        var files = FixtureScenario.BuiltIn[scenario].Files.ToDictionary();
        foreach (var (file, text) in changes)
        {
            files[file] = text;
        }

        return FixtureScenario.Load(scenario + "-variant", files);
    }
}

/// <summary>A clock that always says the same time.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
