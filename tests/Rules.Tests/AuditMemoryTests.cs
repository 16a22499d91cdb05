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

    [Theory]
    [InlineData("")]
    [InlineData("www A 192.0.2.2\n")]
    [InlineData("www CAA 0 issue \"amazon.com\"\n")]
    public async Task Every_cname_whose_target_has_the_zone_twice_is_reported_whatever_record_comes_first(string first)
    {
        // VAL010 picks the CNAMEs by their targets' text; a name's records are grouped under its first one, which need not be a CNAME.
        var zone = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n" + first +
            "www CNAME a.example.com.example.com.\nwww CNAME b.example.com.example.com.\n";
        foreach (var keepAll in new[] { true, false })
        {
            var report = await Diagnosers.ZoneAsync(zone, keepEveryRecord: keepAll);

            var targets = report.Findings.Where(f => f.RuleId == "VAL010").Select(f => f.Message).ToList();
            Assert.Equal(2, targets.Count);
            Assert.Contains(targets, m => m.Contains("a.example.com.example.com", StringComparison.Ordinal));
            Assert.Contains(targets, m => m.Contains("b.example.com.example.com", StringComparison.Ordinal));
        }
    }
}
