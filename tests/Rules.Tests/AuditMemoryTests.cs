using RulesApi.Rules.Report;

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
        async Task<string> Audit(bool keepAll) =>
            ReportJson.Serialize(await Diagnosers.ZoneAsync(text, keepEveryRecord: keepAll));

        Assert.Equal(await Audit(keepAll: true), await Audit(keepAll: false));
    }

    [Fact]
    public async Task An_audit_still_sees_a_cname_beside_records_it_did_not_keep()
    {
        const string Zone = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\nwww TXT \"x\"\nwww CNAME example.net.\n";
        var report = await Diagnosers.ZoneAsync(Zone);

        Assert.Contains("CNAME and other records (TXT)", Assert.Single(report.Findings, f => f.RuleId == "ZONE002").Message, StringComparison.Ordinal);
        Assert.Equal(5, report.Zone!.Records);
    }
}
