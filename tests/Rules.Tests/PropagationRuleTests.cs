using RulesApi.Rules.Contract;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Tests;

/// <summary>The NS and TTL families over fixture scenarios: servers asked one by one, resolvers, and time estimates.</summary>
public sealed class PropagationRuleTests
{
    private static Finding Single(DiagnosisReport report, string id) => Assert.Single(report.Findings, f => f.RuleId == id);

    [Fact]
    public async Task NS001_a_zone_listing_other_servers_than_its_delegation_is_an_error_naming_both_providers()
    {
        var finding = Single(await FixtureRun.RunAsync("ns-changed-in-zone-editor"), "NS001");

        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("ns1.domaincontrol.com, ns2.domaincontrol.com (GoDaddy)", finding.Message, StringComparison.Ordinal);
        Assert.Contains("ada.ns.cloudflare.com, bob.ns.cloudflare.com (Cloudflare)", finding.Message, StringComparison.Ordinal);
        Assert.Contains(finding.Remediation!.Records, r => r.Action == RecordAction.Remove && r.Value == "ada.ns.cloudflare.com.");
    }

    [Fact]
    public async Task NS001_lists_that_overlap_are_a_warning()
    {
        // The zone names only ns1 of the two servers it is delegated to.
        var zone = FixtureRunZone("ns-server-lags", "example.com.zone").Replace("@    NS  ns2.example.com.\n", "", StringComparison.Ordinal);
        var report = await FixtureRun.RunAsync(FixtureRun.Variant("ns-server-lags", ("example.com.zone", zone), ("example.com@127.0.10.5.zone", zone)));

        Assert.Equal(Severity.Warning, Single(report, "NS001").Severity);
    }

    [Fact]
    public async Task NS002_fires_only_when_the_named_provider_serves_none_of_the_delegation()
    {
        Assert.Equal(Severity.Error, Single(await FixtureRun.RunAsync("ns-changed-in-zone-editor", DnsProvider.Cloudflare), "NS002").Severity);
        Assert.DoesNotContain((await FixtureRun.RunAsync("ns-changed-in-zone-editor", DnsProvider.GoDaddy)).Findings, f => f.RuleId == "NS002");
        // Without a provider named (the scenario's own is Cloudflare), there is nothing to compare with.
        Assert.DoesNotContain((await FixtureRun.RunAsync("healthy")).Findings, f => f.RuleId == "NS002");
    }

    [Fact]
    public async Task NS003_a_lagging_server_is_named_with_its_serial_and_its_answer()
    {
        var finding = Single(await FixtureRun.RunAsync("ns-server-lags"), "NS003");

        Assert.Contains("2024010102 at ns1.example.com (127.0.10.3), 2024010101 at ns2.example.com (127.0.10.5)", finding.Message, StringComparison.Ordinal);
        Assert.Contains("no such name (NXDOMAIN) at ns2.example.com (127.0.10.5)", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NS004_one_refusing_server_is_a_warning_and_all_of_them_an_error()
    {
        var one = Single(await FixtureRun.RunAsync("ns-server-refuses"), "NS004");
        Assert.Equal(Severity.Warning, one.Severity);
        Assert.Contains("ns2.example.com (127.0.10.5) answered REFUSED", one.Message, StringComparison.Ordinal);

        var json = FixtureRunZone("ns-server-refuses", "scenario.json")
            .Replace("\"server\": \"127.0.10.5\",", "\"server\": \"127.0.10.3\",\n      \"name\": \"example.com\",\n      \"type\": \"SOA\",", StringComparison.Ordinal)
            .Replace("\"faults\": [", "\"faults\": [\n    { \"server\": \"127.0.10.5\", \"fault\": \"lame\" },", StringComparison.Ordinal);
        var all = Single(await FixtureRun.RunAsync(FixtureRun.Variant("ns-server-refuses", ("scenario.json", json))), "NS004");
        Assert.Equal(Severity.Error, all.Severity);
        Assert.Contains("is lame", all.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NS005_a_cached_negative_answer_says_until_when_it_is_kept()
    {
        var finding = Single(await FixtureRun.RunAsync("ns-resolver-cached"), "NS005");

        Assert.Contains("another 2400 s (40 min), until 2026-11-28 12:40 UTC", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain((await FixtureRun.RunAsync("healthy")).Findings, f => f.RuleId == "NS005");
    }

    [Fact]
    public async Task TTL001_the_threshold_comes_from_the_profile()
    {
        Assert.Equal(2, (await FixtureRun.RunAsync("ttl-long")).Findings.Count(f => f.RuleId == "TTL001"));

        var lenient = RuleProfile.Parse("""{"rules": {"TTL001": {"thresholds": {"maxTtl": 86400}}}}""");
        Assert.DoesNotContain((await FixtureRun.RunAsync("ttl-long", profile: lenient)).Findings, f => f.RuleId == "TTL001");
    }

    [Fact]
    public async Task TTL002_uses_the_lower_of_the_soa_ttl_and_minimum()
    {
        var finding = Single(await FixtureRun.RunAsync("ttl-long"), "TTL002");
        Assert.Contains("for 86400 s (24 h)", finding.Message, StringComparison.Ordinal);

        var capped = FixtureRunZone("ttl-long", "example.com.zone").Replace("@    SOA", "@ 600 SOA", StringComparison.Ordinal);
        Assert.DoesNotContain((await FixtureRun.RunAsync(FixtureRun.Variant("ttl-long", ("example.com.zone", capped)))).Findings, f => f.RuleId == "TTL002");
    }

    [Fact]
    public async Task TTL003_suggests_timers_that_pass_its_own_checks()
    {
        var finding = Single(await FixtureRun.RunAsync("ttl-soa-timers"), "TTL003");
        var suggested = finding.Remediation!.Records[0].Value.Split(' ');

        var (refresh, retry, expire) = (uint.Parse(suggested[3]), uint.Parse(suggested[4]), uint.Parse(suggested[5]));
        Assert.True(retry < refresh && expire > refresh + retry && expire >= 604800, string.Join(' ', suggested));
    }

    [Fact]
    public async Task A_fix_for_a_missing_record_is_visible_after_the_negative_caching_ttl()
    {
        var finding = Single(await FixtureRun.RunAsync("val-missing"), "VAL001");

        var visible = finding.Remediation!.VisibleBy!;
        Assert.Equal(FixtureRun.Now.AddSeconds(visible.CacheSeconds), visible.At);
        Assert.Contains("negative-caching TTL", visible.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fix_to_an_existing_record_is_visible_after_that_record_s_ttl()
    {
        var finding = Single(await FixtureRun.RunAsync("ttl-long"), "TTL002");

        Assert.Equal(86400u, finding.Remediation!.VisibleBy!.CacheSeconds);
        Assert.Equal(FixtureRun.Now.AddDays(1), finding.Remediation.VisibleBy.At);
    }

    [Fact]
    public async Task Without_zone_text_a_fix_still_gets_its_host_field_relative_to_the_zone()
    {
        var record = Assert.Single(Single(await FixtureRun.RunAsync("val-missing", DnsProvider.GoDaddy), "VAL001").Remediation!.Records);

        Assert.Equal("_3f1a2b4c5d6e7f8091a2b3c4d5e6f708.www", record.Host);
        Assert.Contains(record.Form!.Fields, f => f.Label == "Name" && f.Value == "_3f1a2b4c5d6e7f8091a2b3c4d5e6f708.www");
    }

    private static string FixtureRunZone(string scenario, string file) => Fixtures.FixtureScenario.BuiltIn[scenario].Files[file];
}
