using System.Text.Json;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Tests;

/// <summary>
/// A zone audit keeps only the record types its rules read. Auditing every scenario zone both ways —
/// keeping everything, and keeping only those types — must give the same report.
/// </summary>
public sealed class AuditMemoryTests
{
    public static TheoryData<string, string> Zones()
    {
        var data = new TheoryData<string, string>();
        foreach (var scenario in Scenario.All())
        {
            data.Add(scenario.RuleId, scenario.File);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Zones))]
    public async Task An_audit_that_keeps_fewer_records_reports_the_same(string ruleId, string file)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(Scenario.Folder, ruleId, file));
        var diagnosis = new ZoneDiagnosis(new RuleEngine(new RuleCatalog(RuleCatalog.BuiltInRules()), new FixedClock(FixtureRun.Now)));

        async Task<string> Audit(bool keepAll)
        {
            var report = await diagnosis.RunAsync(text, Scenario.Origin, Subject.ForAcm([]), RuleProfile.Default, TimeSpan.FromSeconds(10), CancellationToken.None, keepAll);
            return JsonSerializer.Serialize(report! with { ElapsedMs = 0 }, RuleProfile.JsonOptions);
        }

        Assert.Equal(await Audit(keepAll: true), await Audit(keepAll: false));
    }

    [Fact]
    public async Task An_audit_still_sees_a_cname_beside_records_it_did_not_keep()
    {
        const string Zone = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\nwww TXT \"x\"\nwww CNAME example.net.\n";
        var diagnosis = new ZoneDiagnosis(new RuleEngine(new RuleCatalog(RuleCatalog.BuiltInRules())));

        var report = await diagnosis.RunAsync(Zone, Scenario.Origin, Subject.ForAcm([]), RuleProfile.Default, TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Contains("CNAME and other records (TXT)", Assert.Single(report!.Findings, f => f.RuleId == "ZONE002").Message, StringComparison.Ordinal);
        Assert.Equal(5, report.Zone!.Records);
    }
}
