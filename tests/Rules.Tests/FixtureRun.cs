using RulesApi.Dns.Names;
using RulesApi.Fixtures;
using RulesApi.Rules.Engine;
using RulesApi.Rules.Validation;

namespace RulesApi.Rules.Tests;

/// <summary>Runs every built-in rule over a fixture scenario through its fixture view, at a fixed "now".</summary>
public static class FixtureRun
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public static Task<DiagnosisReport> RunAsync(string scenario, DnsProvider provider = DnsProvider.Generic, RuleProfile? profile = null) =>
        RunAsync(FixtureScenario.BuiltIn[scenario], provider, profile);

    public static Task<DiagnosisReport> RunAsync(FixtureScenario scenario, DnsProvider provider = DnsProvider.Generic, RuleProfile? profile = null)
    {
        var names = scenario.Metadata.Domains.Select(d => DnsName.Parse(d + ".")).ToList();
        var given = (scenario.Metadata.ValidationRecords ?? []).Select(r => (DnsName.Parse(r.Name), DnsName.Parse(r.Value)));
        var subject = Subject.ForAcm(names) with { Validations = ExpectedValidation.Collect(null, given, names), Provider = provider };
        var engine = new RuleEngine(new RuleCatalog(RuleCatalog.BuiltInRules()), new FixedClock(Now));
        return engine.RunAsync(new DiagnosisContext(subject, new FixtureView(scenario), profile: profile), "fixture:" + scenario.Name, TimeSpan.FromSeconds(10), CancellationToken.None);
    }

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
