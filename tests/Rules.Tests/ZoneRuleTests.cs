using RulesApi.Rules.Contract;

namespace RulesApi.Rules.Tests;

/// <summary>The ZONE rules report where in the zone text the problem is.</summary>
public sealed class ZoneRuleTests
{
    private static async Task<Finding> Only(string rule, string file)
    {
        var report = await new Scenario(rule, file, true).RunAsync();
        return Assert.Single(report.Findings, f => f.RuleId == rule);
    }

    [Fact]
    public async Task ZONE001_carries_line_and_column()
    {
        var finding = await Only("ZONE001", "triggers-bad-address.zone");
        Assert.Equal((5, 7), (finding.Location!.Value.Line, finding.Location.Value.Column));
        Assert.StartsWith("Line 5, column 7: '192.0.2.300' is not an IPv4 address", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ZONE001_makes_name_verdicts_inconclusive_rather_than_ok()
    {
        var report = await new Scenario("ZONE001", "triggers-bad-address.zone", true).RunAsync();
        Assert.Equal(Verdict.Inconclusive, Assert.Single(report.Names).Verdict);
    }

    [Fact]
    public async Task ZONE002_points_at_the_second_record() =>
        Assert.Equal(6, (await Only("ZONE002", "triggers-cname-and-a.zone")).Location!.Value.Line);

    [Fact]
    public async Task ZONE003_shows_the_loop() =>
        Assert.Contains("a.example.com. → b.example.com. → a.example.com.", (await Only("ZONE003", "triggers-loop.zone")).Message, StringComparison.Ordinal);

    [Fact]
    public async Task ZONE004_counts_soa_records() =>
        Assert.Contains("2 SOA records", (await Only("ZONE004", "triggers-two-soa.zone")).Message, StringComparison.Ordinal);

    [Fact]
    public async Task ZONE005_names_the_stray_owner() =>
        Assert.Equal("www.example.org.", (await Only("ZONE005", "triggers-out-of-zone.zone")).Name);

    [Fact]
    public async Task ZONE006_reports_at_the_apex() =>
        Assert.Equal("example.com.", (await Only("ZONE006", "triggers-no-ns.zone")).Name);

    [Fact]
    public async Task ZONE007_says_the_file_was_not_opened() =>
        Assert.Contains("'/etc/passwd' was not followed", (await Only("ZONE007", "triggers-include.zone")).Message, StringComparison.Ordinal);

    [Fact]
    public async Task ZONE008_explains_the_inherited_ttl() =>
        Assert.Contains("takes the TTL of the record before it (300 s)", (await Only("ZONE008", "triggers-no-dollar-ttl.zone")).Message, StringComparison.Ordinal);

    [Fact]
    public async Task ZONE009_names_the_unreachable_server() =>
        Assert.Contains("ns1.example.com.", (await Only("ZONE009", "triggers-ns-no-address.zone")).Message, StringComparison.Ordinal);

    [Fact]
    public async Task ZONE010_points_at_the_ds() =>
        Assert.Equal(5, (await Only("ZONE010", "triggers-ds-apex.zone")).Location!.Value.Line);
}
