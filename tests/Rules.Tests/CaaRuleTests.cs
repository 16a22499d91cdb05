using RulesApi.Rules.Contract;
using RulesApi.Rules.Report;

namespace RulesApi.Rules.Tests;

/// <summary>What the CAA rules say, beyond whether they fire: the words, the evidence and the records to type.</summary>
public sealed class CaaRuleTests
{
    private static async Task<DiagnosisReport> Run(string rule, string file) =>
        await new Scenario(rule, file, true).RunAsync();

    [Fact]
    public async Task CAA001_names_the_set_holder_and_adds_amazon_there()
    {
        var report = await Run("CAA001", "triggers-letsencrypt-only.zone");

        var finding = Assert.Single(report.Findings, f => f.RuleId == "CAA001");
        Assert.Equal("www.example.com.", finding.Name);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("The CAA records at example.com decide", finding.Message, StringComparison.Ordinal);
        Assert.Contains("issue \"letsencrypt.org\"", finding.Message, StringComparison.Ordinal);
        var add = Assert.Single(finding.Remediation!.Records);
        Assert.Equal(("example.com. 300 IN CAA 0 issue \"amazon.com\"", "@"), (add.ZoneLine, add.Host));
        Assert.Equal(6, finding.Location!.Value.Line);
        Assert.Equal(Verdict.Blocked, Assert.Single(report.Names).Verdict);
    }

    [Fact]
    public async Task CAA001_removes_the_broken_amazon_record_it_replaces()
    {
        var report = await Run("CAA001", "triggers-trailing-dot.zone");

        var finding = Assert.Single(report.Findings, f => f.RuleId == "CAA001");
        Assert.Equal([RecordAction.Remove, RecordAction.Add], finding.Remediation!.Records.Select(r => r.Action));
        Assert.Contains(report.Findings, f => f.RuleId == "CAA004");
    }

    [Fact]
    public async Task CAA002_explains_that_issue_does_not_count_for_wildcards()
    {
        var report = await Run("CAA002", "triggers-issuewild-other.zone");

        var finding = Assert.Single(report.Findings, f => f.RuleId == "CAA002");
        Assert.Equal("*.example.com.", finding.Name);
        Assert.Contains("even though an 'issue' record allows Amazon", finding.Message, StringComparison.Ordinal);
        Assert.Equal("0 issuewild \"amazon.com\"", finding.Remediation!.Records[0].Value);
        Assert.DoesNotContain(report.Findings, f => f.RuleId == "CAA001");
    }

    [Fact]
    public async Task CAA003_blocks_even_when_issue_allows_amazon()
    {
        var report = await Run("CAA003", "triggers-critical-unknown.zone");

        var finding = Assert.Single(report.Findings, f => f.RuleId == "CAA003");
        Assert.Contains("'tbs'", finding.Message, StringComparison.Ordinal);
        Assert.Equal(Verdict.Blocked, Assert.Single(report.Names).Verdict);
        Assert.Equal("0 tbs \"unknown\"", finding.Remediation!.Records[1].Value);
    }

    [Fact]
    public async Task CAA004_points_at_the_character_and_recognises_a_pasted_record()
    {
        var report = await Run("CAA004", "triggers-pasted-record.zone");

        var finding = Assert.Single(report.Findings, f => f.RuleId == "CAA004");
        Assert.Contains("at character 3 ('i')", finding.Message, StringComparison.Ordinal);
        Assert.Contains("whole record", finding.Message, StringComparison.Ordinal);
        Assert.Equal("0 issue \"amazon.com\"", finding.Remediation!.Records[1].Value);
        Assert.Contains(report.Findings, f => f.RuleId == "CAA001");
    }

    [Fact]
    public async Task CAA004_names_underscores_in_tags_and_spaces_in_values()
    {
        var report = await Run("CAA004", "triggers-bad-parameter.zone");

        var messages = report.Findings.Where(f => f.RuleId == "CAA004").Select(f => f.Message).ToList();
        Assert.Equal(2, messages.Count);
        Assert.Contains(messages, m => m.Contains("'_' is not allowed in the parameter tag", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("contains a space", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CAA005_suggests_the_tag_that_was_meant()
    {
        var report = await Run("CAA005", "triggers-isue.zone");

        var finding = Assert.Single(report.Findings, f => f.RuleId == "CAA005");
        Assert.Contains("meant to be 'issue'", finding.Message, StringComparison.Ordinal);
        Assert.Contains(report.Findings, f => f.RuleId == "CAA001");
    }

    [Fact]
    public async Task CAA006_reports_reserved_flag_bits()
    {
        var report = await Run("CAA006", "triggers-flags-5.zone");

        Assert.Equal("0 issue \"amazon.com\"", Assert.Single(report.Findings, f => f.RuleId == "CAA006").Remediation!.Records[1].Value);
        Assert.Equal(Verdict.AtRisk, Assert.Single(report.Names).Verdict);
    }

    [Fact]
    public async Task CAA007_says_who_controls_the_set_behind_a_cname()
    {
        var report = await Run("CAA007", "triggers-cname-target.zone");

        Assert.Contains("follows the CNAME to shops.example.com", Assert.Single(report.Findings, f => f.RuleId == "CAA007").Message, StringComparison.Ordinal);
        Assert.Equal("shops.example.com. 300 IN CAA 0 issue \"amazon.com\"",
            Assert.Single(report.Findings, f => f.RuleId == "CAA001").Remediation!.Records[0].ZoneLine);
    }

    [Fact]
    public async Task CAA008_explains_the_override_by_a_subdomain_set()
    {
        var report = await Run("CAA008", "triggers-subdomain-override.zone");

        var finding = Assert.Single(report.Findings, f => f.RuleId == "CAA008");
        Assert.Contains("The CAA records at example.com allow Amazon, but they do not count for www.example.com", finding.Message, StringComparison.Ordinal);
        Assert.Equal("www", Assert.Single(report.Findings, f => f.RuleId == "CAA001").Remediation!.Records[0].Host);
    }

    [Fact]
    public async Task CAA009_is_inconclusive_when_the_answer_lives_in_another_zone()
    {
        var report = await Run("CAA009", "triggers-cname-out-of-zone.zone");

        Assert.True(Assert.Single(report.Findings, f => f.RuleId == "CAA009").Inconclusive);
        Assert.Equal(Verdict.Inconclusive, Assert.Single(report.Names).Verdict);
    }

    [Fact]
    public async Task CAA010_warns_about_acme_parameters()
    {
        var report = await Run("CAA010", "triggers-accounturi.zone");

        Assert.Contains("accounturi=https://acme.example/acct/1", Assert.Single(report.Findings, f => f.RuleId == "CAA010").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CAA011_lists_the_names_checked_and_leaves_the_verdict_ok()
    {
        var report = await Run("CAA011", "triggers-no-caa.zone");

        Assert.Contains("checked www.example.com, example.com", Assert.Single(report.Findings, f => f.RuleId == "CAA011").Message, StringComparison.Ordinal);
        Assert.Equal(Verdict.Ok, Assert.Single(report.Names).Verdict);
    }
}
