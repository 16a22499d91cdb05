using RulesApi.Dns.Live;
using RulesApi.Dns.Names;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;
using RulesApi.Rules.Validation;

namespace RulesApi.Rules.Tests;

/// <summary>What the VAL and ACM rules say: the names, the differences, the records to type.</summary>
public sealed class ValidationRuleTests
{
    private const string Token = "_3f1a2b4c5d6e7f8091a2b3c4d5e6f708";
    private const string Value = "_9a8b7c6d5e4f30211a2b3c4d5e6f7081.abcdefghij.acm-validations.aws.";

    private static async Task<Finding> Only(string rule, string file, string? name = null)
    {
        var report = await new Scenario(rule, file, true).RunAsync();
        return Assert.Single(report.Findings, f => f.RuleId == rule && (name is null || f.Name == name));
    }

    /// <summary>A zone of the given extra lines with one name and its validation record, diagnosed.</summary>
    private static Task<DiagnosisReport> WithValidation(string token, string domain, string extra = "")
    {
        var fields = new DiagnosisRequestFields
        {
            ZoneFile = "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 h 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n" + extra,
            Domains = [domain],
            ValidationRecords = [new ValidationRecordFields { Name = $"{token}.{domain}", Value = Value }],
        };
        return new Diagnoser(new RuleEngine(new RuleCatalog(RuleCatalog.BuiltInRules())), RuleProfile.Default, new LiveDnsOptions())
            .RunAsync(DiagnosisRequestParser.Parse(fields).Request!, CancellationToken.None);
    }

    [Fact]
    public async Task A_validation_name_too_long_to_be_typed_twice_is_still_checked()
    {
        // The name with the zone typed twice would be over 255 octets: no record can be there, so nothing is asked about
        // it (building it threw, and every VAL rule answered "could not be checked").
        var label = new string('a', 60);
        var domain = $"{label}.{label}.{label}.{new string('b', 20)}.example.com";
        var report = await WithValidation(Token, domain);

        Assert.DoesNotContain(report.Findings, f => f.Inconclusive);
        var missing = Assert.Single(report.Findings, f => f.RuleId == "VAL001");
        Assert.Equal($"{Token}.{domain}.", missing.Remediation!.Records.Single().Name);
    }

    // A catch-all wildcard (common) and the domain as a real name: the wildcard covers the name with the zone typed twice
    // (its closest encloser is the apex) but not the validation name itself.
    private const string Wildcard = "* CNAME lb.example.net.\n";

    [Fact]
    public async Task A_wildcard_is_told_from_the_zone_typed_twice_by_the_probe_beside_it()
    {
        var report = await WithValidation("_x", "shop.example.com", Wildcard + "shop A 192.0.2.2\n");

        Assert.DoesNotContain(report.Findings, f => f.Inconclusive);
        Assert.DoesNotContain(report.Findings, f => f.RuleId == "VAL002");
    }

    [Fact]
    public async Task A_wildcard_is_not_taken_for_the_zone_typed_twice_when_the_probe_name_would_be_too_long()
    {
        // "_x.<domain>.example.com." fits in 255 octets (242), the probe beside it ("_rulesapi-probe-…", 28 octets in its
        // first label) does not (268): without the probe, the wildcard's answer must not be taken for a doubled record.
        var domain = $"{new string('a', 60)}.{new string('b', 60)}.{new string('c', 60)}.{new string('d', 30)}.example.com";
        var report = await WithValidation("_x", domain, Wildcard + $"{domain}. A 192.0.2.2\n");

        Assert.DoesNotContain(report.Findings, f => f.RuleId == "VAL002" && !f.Inconclusive);
    }

    [Fact]
    public async Task VAL001_gives_the_record_to_add()
    {
        var finding = await Only("VAL001", "triggers-nothing.zone");
        var add = Assert.Single(finding.Remediation!.Records);
        Assert.Equal(($"{Token}.www", "CNAME", Value), (add.Host, add.Type, add.Value));
        Assert.Equal("www.example.com.", finding.Name);
    }

    [Fact]
    public async Task VAL002_names_the_doubled_record_and_the_host_to_type()
    {
        var finding = await Only("VAL002", "triggers-host-field-doubled.zone");
        Assert.Contains($"{Token}.www.example.com.example.com", finding.Message, StringComparison.Ordinal);
        Assert.Contains($"type only '{Token}.www' there", finding.Message, StringComparison.Ordinal);
        Assert.Equal([RecordAction.Remove, RecordAction.Add], finding.Remediation!.Records.Select(r => r.Action));
    }

    [Fact]
    public async Task VAL002_is_not_fooled_by_a_wildcard()
    {
        var report = await new Scenario("VAL002", "quiet-wildcard-answers-everywhere.zone", false).RunAsync();
        Assert.DoesNotContain(report.Findings, f => f.RuleId == "VAL002");
        Assert.Equal(Verdict.Ok, Assert.Single(report.Names).Verdict);
    }

    [Fact]
    public async Task VAL003_finds_the_record_at_the_apex_instead_of_www()
    {
        var finding = await Only("VAL003", "triggers-apex-instead-of-www.zone");
        Assert.Contains($"is at {Token}.example.com instead", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VAL003_says_a_record_below_a_delegation_is_in_the_wrong_zone()
    {
        var finding = await Only("VAL003", "triggers-below-delegation.zone");
        Assert.Contains("delegated to other name servers", finding.Message, StringComparison.Ordinal);
        Assert.False(finding.Inconclusive);
    }

    [Fact]
    public async Task VAL004_recognises_the_zone_appended_to_the_value()
    {
        var finding = await Only("VAL004", "triggers-zone-appended-to-value.zone");
        Assert.Contains("the zone name was appended to the value", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VAL004_points_at_the_one_character_that_differs()
    {
        var finding = await Only("VAL004", "triggers-one-character-off.zone");
        Assert.Contains("at position 33: '2' where ACM has '1'", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9a8b7c6d5e4f30211a2b3c4d5e6f7081.abcdefghij.acm-validations.aws.", "leading underscore is missing")]
    [InlineData("_9a8b7c6d5e4f30211a2b3c4d5e6f7081.abcdefghij.", "cut short")]
    [InlineData("_00000000000000000000000000000000.zyxwvutsrq.acm-validations.aws.", "another (perhaps earlier) certificate request")]
    [InlineData("elsewhere.example.net.", "the values differ")]
    public void VAL004_difference_in_words(string actual, string expected) =>
        Assert.Contains(expected, VAL004_ValueMismatch.Difference(DnsName.Parse(actual), DnsName.Parse(Value), DnsName.Parse("example.com.")), StringComparison.Ordinal);

    [Fact]
    public async Task VAL005_replaces_the_txt_by_the_cname()
    {
        var finding = await Only("VAL005", "triggers-txt.zone");
        Assert.Equal(["TXT", "CNAME"], finding.Remediation!.Records.Select(r => r.Type));
    }

    [Fact]
    public async Task VAL005_reports_a_cname_beside_other_data()
    {
        var finding = await Only("VAL005", "triggers-cname-beside-txt.zone");
        Assert.Contains("the CNAME is there, but", finding.Message, StringComparison.Ordinal);
        Assert.Equal([RecordAction.Remove], finding.Remediation!.Records.Select(r => r.Action));
    }

    [Fact]
    public async Task VAL006_explains_the_proxy()
    {
        var finding = await Only("VAL006", "triggers-flattened.zone");
        Assert.Contains("104.16.0.1, 104.16.0.2", finding.Message, StringComparison.Ordinal);
        Assert.Contains("'DNS only'", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VAL007_is_informational_only()
    {
        var report = await new Scenario("VAL007", "triggers-old-record.zone", true).RunAsync();
        Assert.Equal(Severity.Info, Assert.Single(report.Findings, f => f.RuleId == "VAL007").Severity);
        Assert.Equal(Verdict.Ok, Assert.Single(report.Names, n => n.Name == "www.example.com.").Verdict);
    }

    [Fact]
    public async Task VAL008_flags_a_value_that_is_not_acm_shaped() =>
        Assert.Equal(Severity.Warning, (await Only("VAL008", "triggers-truncated.zone")).Severity);

    [Fact]
    public async Task VAL009_is_inconclusive_when_the_name_cannot_be_looked_up()
    {
        var report = await new Scenario("VAL009", "triggers-name-outside-the-zone.zone", true).RunAsync();
        Assert.True(Assert.Single(report.Findings, f => f.RuleId == "VAL009").Inconclusive);
        Assert.Equal(Verdict.Inconclusive, Assert.Single(report.Names, n => n.Name == "www.example.org.").Verdict);
    }

    [Fact]
    public async Task ACM001_explains_caa_error_and_the_need_for_a_new_request()
    {
        var report = await new Scenario("ACM001", "triggers-caa-error.zone", true).RunAsync();
        var finding = Assert.Single(report.Findings, f => f.RuleId == "ACM001");
        Assert.Contains("CAA_ERROR", finding.Message, StringComparison.Ordinal);
        Assert.Contains("request a new certificate", finding.Message, StringComparison.Ordinal);
        Assert.Contains(report.Findings, f => f.RuleId == "CAA001");
    }

    [Fact]
    public async Task ACM002_names_the_72_hours_and_the_pending_names()
    {
        var finding = await Only("ACM002", "triggers-timed-out.zone");
        Assert.Contains("72 hours", finding.Message, StringComparison.Ordinal);
        Assert.Contains("www.example.com, *.www.example.com", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACM003_says_email_validation_is_out_of_dns_scope() =>
        Assert.Contains("validated by EMAIL", (await Only("ACM003", "triggers-email.zone")).Message, StringComparison.Ordinal);

    [Fact]
    public async Task A_wildcard_shares_its_base_names_record_and_verdict()
    {
        var report = await new Scenario("ACM002", "triggers-timed-out.zone", true).RunAsync();
        // The one record, wrong in the same way for both names, is reported once for the two of them.
        Assert.Equal(2, Assert.Single(report.Findings, f => f.RuleId == "VAL002").NameCount);
        Assert.All(report.Names, n => Assert.Equal(Verdict.Blocked, n.Verdict));
    }

    [Fact]
    public async Task VAL010_finds_the_validation_cname_typed_in_full_from_the_zone_alone()
    {
        var report = await new Scenario("VAL010", "triggers-validation-host-typed-in-full.zone", true).RunAsync();
        Assert.Equal("zone-audit", report.Source);
        var finding = Assert.Single(report.Findings, f => f.RuleId == "VAL010");
        Assert.Equal((Severity.Error, "www.example.com."), (finding.Severity, finding.Name));
        Assert.Contains($"type only '{Token}.www' there", finding.Message, StringComparison.Ordinal);
        var add = Assert.Single(finding.Remediation!.Records, r => r.Action == RecordAction.Add);
        Assert.Equal(($"{Token}.www.example.com.", $"{Token}.www", Value), (add.Name, add.Host, add.Value));
        Assert.Equal($"{Token}.www.example.com.example.com.", Assert.Single(finding.Remediation.Records, r => r.Action == RecordAction.Remove).Name);
    }

    [Fact]
    public async Task VAL010_finds_www_typed_in_full_and_a_target_without_its_dot()
    {
        var www = Assert.Single((await new Scenario("VAL010", "triggers-www-typed-in-full.zone", true).RunAsync()).Findings, f => f.RuleId == "VAL010");
        Assert.Equal((Severity.Warning, "www.example.com."), (www.Severity, www.Name));
        Assert.Equal(("www", "example.com."), Assert.Single(www.Remediation!.Records, r => r.Action == RecordAction.Add) is var a ? (a.Host, a.Value) : default);

        var target = Assert.Single((await new Scenario("VAL010", "triggers-target-typed-without-dot.zone", true).RunAsync()).Findings, f => f.RuleId == "VAL010");
        Assert.Equal("shop.example.com.", target.Name);
        Assert.Equal("www.example.com.", Assert.Single(target.Remediation!.Records, r => r.Action == RecordAction.Add).Value);
    }

    [Fact]
    public async Task VAL010_leaves_an_expected_record_to_VAL002()
    {
        var report = await new Scenario("VAL010", "quiet-validation-given.zone", false).RunAsync();
        Assert.DoesNotContain(report.Findings, f => f.RuleId == "VAL010");
        Assert.Contains(report.Findings, f => f.RuleId == "VAL002");
    }

    [Fact]
    public async Task VAL008_gives_the_value_without_the_appended_zone()
    {
        var report = await Diagnosers.Create().RunAsync(new Diagnosis.DiagnosisRequest(Diagnosis.DiagnosisInput.ZoneText.FromString(
            "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n" + Token + ".www CNAME " + Value.TrimEnd('.') + "\n", DnsName.Parse("example.com."))), CancellationToken.None);
        var finding = Assert.Single(report.Findings, f => f.RuleId == "VAL008");
        Assert.Equal(Value, Assert.Single(finding.Remediation!.Records, r => r.Action == RecordAction.Add).Value);
    }

    [Theory]
    [InlineData(Token + ".www.example.com.", true)]
    [InlineData("_3F1A2B4C5D6E7F8091A2B3C4D5E6F708.example.com.", true)]
    [InlineData(Token + ".", true)]
    [InlineData(Token + "0.www.example.com.", false)]
    [InlineData("_3f1a2b4c5d6e7f8091a2b3c4d5e6f70.www.example.com.", false)]
    [InlineData("_3f1a2b4c5d6e7f8091a2b3c4d5e6f70\\.x.example.com.", false)]
    [InlineData("www.example.com.", false)]
    [InlineData(".", false)]
    public void The_ACM_token_is_the_whole_first_label(string name, bool token)
    {
        // Read in place up to the dot that must end the 33 characters: a longer label, or an escaped dot, is not a token.
        Assert.Equal(token, Facts.ExpectedValidation.HasAcmToken(DnsName.Parse(name)));
    }
}
