using Microsoft.Extensions.Time.Testing;
using RulesApi.Dns.Live;
using RulesApi.Dns.Names;
using RulesApi.Dns.ZoneFiles;
using RulesApi.Fixtures;
using RulesApi.Rules.Diagnosis;
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
        Diagnosers.Create(profile: profile).RunAsync(
            new DiagnosisRequest(new DiagnosisInput.Fixture(scenario)) { Provider = provider == DnsProvider.Generic ? null : provider }, CancellationToken.None);

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

/// <summary>The Diagnoser as the tests use it: every built-in rule (or a catalog of their own), and a clock that stands still at <see cref="FixtureRun.Now"/>.</summary>
public static class Diagnosers
{
    /// <param name="compactAbove">Records an audit keeps as objects before it holds name records compactly (0: from the first).</param>
    public static Diagnoser Create(RuleCatalog? catalog = null, RuleProfile? profile = null, bool keepEveryRecord = false, int compactAbove = KeptRecords.DefaultCompactAbove) =>
        new(new RuleEngine(catalog ?? new RuleCatalog(RuleCatalog.BuiltInRules()), new FakeTimeProvider(FixtureRun.Now)), profile ?? RuleProfile.Default, new LiveDnsOptions())
        {
            KeepEveryRecord = keepEveryRecord,
            CompactRecordsAbove = compactAbove,
        };

    /// <summary>Names (none: an audit) against zone text whose origin is example.com.</summary>
    public static Task<DiagnosisReport> ZoneAsync(string zone, IReadOnlyList<DnsName>? names = null, RuleCatalog? catalog = null, bool keepEveryRecord = false,
        int compactAbove = KeptRecords.DefaultCompactAbove) =>
        Create(catalog, keepEveryRecord: keepEveryRecord, compactAbove: compactAbove).RunAsync(
            new DiagnosisRequest(DiagnosisInput.ZoneText.FromString(zone, Scenario.Origin)) { Names = names ?? [] }, CancellationToken.None);
}
