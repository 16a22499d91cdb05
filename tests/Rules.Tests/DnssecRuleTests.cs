using RulesApi.Dns.DnsSec;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Tests;

/// <summary>
/// The SEC family over zones signed by dnssec-signzone (the scenario zones; the clock stands at
/// 2026-11-28 inside their validity) and over the fixture scenarios whose parent publishes a DS.
/// </summary>
public sealed class DnssecRuleTests
{
    private static async Task<DiagnosisReport> Zone(string rule, string file, RuleProfile? profile = null) =>
        await new Scenario(rule, file, file.StartsWith("triggers-", StringComparison.Ordinal)).RunAsync(profile: profile);

    [Fact]
    public async Task SEC001_gives_the_ds_the_zone_s_current_key_needs()
    {
        var finding = Assert.Single((await Zone("SEC001", "triggers-stale-ds.zone")).Findings, f => f.RuleId == "SEC001");

        // The replacement must be the DS that dnssec-dsfromkey computed for the zone's KSK.
        Assert.Contains(finding.Remediation!.Records, r => r.Action == RecordAction.Add && r.Value == "63160 13 2 88728D4CED5376DFB90D76CE79FF0DC9C524B974DF51941CA63B91C034CDF63B");
        Assert.Contains(finding.Remediation.Records, r => r.Action == RecordAction.Remove && r.Value.StartsWith("2371 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SEC001_and_SEC002_find_the_parent_s_ds_over_dns_too()
    {
        var stale = await FixtureRun.RunAsync("sec-stale-ds");
        Assert.Contains("The DS records in the parent zone for example.com name key 2371", Assert.Single(stale.Findings, f => f.RuleId == "SEC001").Message, StringComparison.Ordinal);

        var unsigned = await FixtureRun.RunAsync("sec-ds-unsigned");
        Assert.Equal(Verdict.Blocked, Assert.Single(unsigned.Names).Verdict);
        Assert.Single(unsigned.Findings, f => f.RuleId == "SEC002");
    }

    [Fact]
    public async Task SEC002_asks_to_remove_the_ds_but_guesses_no_time_for_the_parent_s_records()
    {
        var finding = Assert.Single((await Zone("SEC002", "triggers-ds-unsigned-zone.zone")).Findings, f => f.RuleId == "SEC002");

        Assert.Equal(RecordAction.Remove, Assert.Single(finding.Remediation!.Records).Action);
        // The DS lives in the parent zone, whose TTL a zone file does not tell.
        Assert.Null(finding.Remediation.VisibleBy);
    }

    [Fact]
    public async Task SEC003_names_the_expiry_date()
    {
        var finding = Assert.Single((await Zone("SEC003", "triggers-expired.zone")).Findings, f => f.RuleId == "SEC003");

        Assert.Contains("the RRSIG expired on 2026-11-01 00:00 UTC", finding.Message, StringComparison.Ordinal);
        Assert.Equal(Severity.Error, finding.Severity);
    }

    [Fact]
    public async Task SEC003_and_SEC005_check_the_caa_set_s_signature_over_dns()
    {
        // The scenarios are signed when loaded; the signatures run from 2020 to a year after loading.
        var expired = Assert.Single((await FixtureRun.RunAsync("sec-caa-signature-expired")).Findings, f => f.RuleId == "SEC003");
        Assert.Contains("example.com. CAA — the RRSIG expired on 2021-01-01 00:00 UTC", expired.Message, StringComparison.Ordinal);

        var bogus = Assert.Single((await FixtureRun.RunAsync("sec-caa-signature-bogus")).Findings, f => f.RuleId == "SEC005");
        Assert.Contains("example.com. CAA — the RRSIG by key", bogus.Message, StringComparison.Ordinal);

        Assert.DoesNotContain((await FixtureRun.RunAsync("sec-signed")).Findings, f => f.RuleId.StartsWith("SEC", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SEC004_points_at_the_unsigned_record_s_line()
    {
        var finding = Assert.Single((await Zone("SEC004", "triggers-rrsig-removed.zone")).Findings, f => f.RuleId == "SEC004");

        Assert.Contains("www.example.com. A", finding.Message, StringComparison.Ordinal);
        Assert.NotNull(finding.Location);
    }

    [Fact]
    public async Task SEC005_blames_only_the_changed_rrset()
    {
        var finding = Assert.Single((await Zone("SEC005", "triggers-changed-after-signing.zone")).Findings, f => f.RuleId == "SEC005");

        Assert.StartsWith("1 RRset of example.com", finding.Message, StringComparison.Ordinal);
        Assert.Single(finding.Evidence);
    }

    [Fact]
    public void SEC006_knows_which_algorithms_validators_use()
    {
        Assert.Equal(AlgorithmSupport.Supported, DnsSecCrypto.Algorithm(13));
        Assert.Equal(AlgorithmSupport.Insecure, DnsSecCrypto.Algorithm(12));
        Assert.Equal(AlgorithmSupport.NotCheckedHere, DnsSecCrypto.Algorithm(15));
        Assert.Equal(AlgorithmSupport.Insecure, DnsSecCrypto.Digest(3));
        Assert.Equal(AlgorithmSupport.Supported, DnsSecCrypto.Digest(2));
    }

    [Fact]
    public async Task SEC007_in_an_audit_without_names_is_reported_at_the_apex()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(Scenario.Folder, "SEC007", "triggers-nsec-removed.zone"));
        var report = await Diagnosers.ZoneAsync(text.Replace("; names: www.example.com", ";", StringComparison.Ordinal));

        Assert.Contains(report.Findings, f => f.RuleId == "SEC007" && f.Name == "example.com." && f.Message.Contains("shop.example.com. has no NSEC record", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SEC007_over_dns_checks_the_proof_behind_each_no_caa_here()
    {
        var finding = Assert.Single((await FixtureRun.RunAsync("sec-nsec-missing")).Findings, f => f.RuleId == "SEC007");

        Assert.Contains("www.example.com. has no NSEC record, so \"no CAA here\" cannot be proven", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SEC007_over_dns_looks_for_the_nsec3_proof_at_the_name_s_hash()
    {
        var finding = Assert.Single((await FixtureRun.RunAsync("sec-nsec3-missing")).Findings, f => f.RuleId == "SEC007");
        var hash = Dns.DnsSec.ZoneSignatures.Nsec3Hash(Dns.Names.DnsName.Parse("www.example.com."), Fixtures.FixtureSigning.Nsec3Salt, 0);

        Assert.Contains($"www.example.com. has no NSEC3 record (at {hash}.example.com.)", finding.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain((await FixtureRun.RunAsync("sec-signed-nsec3")).Findings, f => f.RuleId.StartsWith("SEC", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SEC007_over_dns_checks_the_covering_nsec_of_a_name_that_does_not_exist()
    {
        // new.example.com is not in the zone: "no CAA there" rests on the NSEC that covers it, asked for with DO.
        Assert.DoesNotContain((await FixtureRun.RunAsync("sec-new-name")).Findings, f => f.RuleId == "SEC007");

        var finding = Assert.Single((await FixtureRun.RunAsync("sec-new-name-proof-bogus")).Findings, f => f.RuleId == "SEC007");
        Assert.Contains("the NSEC record that proves new.example.com. does not exist is not validly signed", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SEC008_the_warning_period_comes_from_the_profile()
    {
        Assert.Contains((await Zone("SEC008", "triggers-three-days-left.zone")).Findings, f => f.RuleId == "SEC008");

        var shorter = RuleProfile.Parse("""{"rules": {"SEC008": {"thresholds": {"days": 1}}}}""");
        Assert.DoesNotContain((await Zone("SEC008", "triggers-three-days-left.zone", shorter)).Findings, f => f.RuleId == "SEC008");
    }

    [Fact]
    public async Task SEC009_traces_a_validating_resolver_s_servfail_to_the_broken_link()
    {
        var stale = Assert.Single((await FixtureRun.RunAsync("sec-stale-ds")).Findings, f => f.RuleId == "SEC009");
        Assert.Contains("answers SERVFAIL for the CAA records of www.example.com, but answers the same question with checking disabled", stale.Message, StringComparison.Ordinal);
        Assert.Contains("match none of its keys (SEC001)", stale.Message, StringComparison.Ordinal);

        var unsigned = Assert.Single((await FixtureRun.RunAsync("sec-ds-unsigned")).Findings, f => f.RuleId == "SEC009");
        Assert.Contains("which is not signed (SEC002)", unsigned.Message, StringComparison.Ordinal);

        // The healthy scenario's resolver validates too, and answers.
        Assert.DoesNotContain((await FixtureRun.RunAsync("healthy")).Findings, f => f.RuleId == "SEC009");
    }

    [Fact]
    public async Task SEC010_follows_the_chain_from_the_trust_anchor_and_names_the_broken_link()
    {
        var finding = Assert.Single((await FixtureRun.RunAsync("sec-ds-signature-bogus")).Findings, f => f.RuleId == "SEC010");
        Assert.Contains("is broken above it, at com: the DS set for example.com. in com.: the RRSIG by key", finding.Message, StringComparison.Ordinal);

        // With the chain intact, the same signed hierarchy validates, and the CAA set's signature is checked under it.
        Assert.DoesNotContain((await FixtureRun.RunAsync("sec-signed")).Findings, f => f.RuleId.StartsWith("SEC", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_trust_anchor_signatures_over_dns_are_not_judged()
    {
        // sec-caa-signature-expired without its signed root: the chain cannot be followed, so validators
        // would not reject the CAA set either, and SEC003 must stay quiet.
        var json = Fixtures.FixtureScenario.BuiltIn["sec-caa-signature-expired"].Files["scenario.json"];
        var scenario = FixtureRun.Variant("sec-caa-signature-expired", ("scenario.json", json.Replace("\".\",", "", StringComparison.Ordinal)));

        Assert.Empty(scenario.TrustAnchors);
        Assert.DoesNotContain((await FixtureRun.RunAsync(scenario)).Findings, f => f.RuleId == "SEC003");
    }

    [Fact]
    public void A_ds_is_read_as_data_or_as_a_whole_line()
    {
        Assert.True(Dns.Records.DsData.TryParse("example.com. 3600 IN DS 63160 13 2 88728D4CED5376DFB90D76CE79FF0DC9C524B974DF51941CA63B91C034CDF63B", out var line, out _));
        Assert.True(Dns.Records.DsData.TryParse("63160 13 2 88728D4C ED5376DFB90D76CE79FF0DC9C524B974DF51941CA63B91C034CDF63B", out var data, out _));
        Assert.Equal(line.ToString(), data.ToString());
        Assert.False(Dns.Records.DsData.TryParse("63160 13 two 8872", out _, out var error));
        Assert.NotEmpty(error);
    }
}
