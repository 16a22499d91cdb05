using RulesApi.Dns.Names;
using RulesApi.Dns.Views;
using RulesApi.Dns.ZoneFiles;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Tests;

public sealed class EngineTests
{
    [Fact]
    public async Task A_profile_disables_rules_and_overrides_severities()
    {
        var profile = RuleProfile.Parse("""
            { "rules": { "CAA001": { "severity": "warning" }, "CAA011": { "enabled": false } } }
            """);

        var blocked = await new Scenario("CAA001", "triggers-letsencrypt-only.zone", true).RunAsync(profile: profile);
        var none = await new Scenario("CAA011", "triggers-no-caa.zone", true).RunAsync(profile: profile);

        Assert.Equal(Severity.Warning, Assert.Single(blocked.Findings, f => f.RuleId == "CAA001").Severity);
        Assert.Equal(Verdict.AtRisk, Assert.Single(blocked.Names).Verdict);
        Assert.DoesNotContain(none.Findings, f => f.RuleId == "CAA011");
        Assert.DoesNotContain("CAA011", none.RulesRun);
    }

    [Fact]
    public void A_profile_with_a_mistake_is_refused() =>
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => RuleProfile.Parse("""{ "rules": { "CAA001": { "severity": "fatal" } } }"""));

    [Fact]
    public async Task A_rule_that_throws_becomes_an_inconclusive_finding()
    {
        var report = await RunWith(new ThrowingRule());

        var finding = Assert.Single(report.Findings);
        Assert.True(finding.Inconclusive);
        Assert.Contains("InvalidOperationException: boom", finding.Message, StringComparison.Ordinal);
        Assert.Equal(Verdict.Inconclusive, Assert.Single(report.Names).Verdict);
    }

    [Fact]
    public async Task A_rule_that_answers_with_no_list_at_all_becomes_an_inconclusive_finding()
    {
        // A plugin's mistake that shows only once the engine reads its findings: still that rule's failure alone.
        var report = await RunWith(new NullAnsweringRule());

        var finding = Assert.Single(report.Findings);
        Assert.True(finding.Inconclusive);
        Assert.Equal("TEST006", finding.RuleId);
        Assert.Contains("NullReferenceException", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rule_that_outlives_the_deadline_is_reported_not_awaited_forever()
    {
        var report = await RunWith(new SlowRule(), TimeSpan.FromMilliseconds(200));

        Assert.Contains("did not finish within the diagnosis deadline", Assert.Single(report.Findings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rule_busy_with_work_that_ignores_the_token_does_not_hold_the_answer_past_the_deadline()
    {
        using var release = new ManualResetEventSlim();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var report = await RunWith(new BusyRule(release), TimeSpan.FromMilliseconds(200));
        var took = clock.Elapsed;
        release.Set();

        Assert.Contains("did not finish within the diagnosis deadline", Assert.Single(report.Findings).Message, StringComparison.Ordinal);
        // The rule would have held its thread for 30 s; the answer came at the deadline, not then.
        Assert.True(took < TimeSpan.FromSeconds(10), $"the report came after {took.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task A_rule_that_could_not_be_checked_is_one_finding_for_every_name_and_each_name_is_inconclusive()
    {
        string[] names = ["www.example.com.", "api.example.com.", "example.com."];

        var report = await RunWith(new ThrowingRule(), names: names);

        // One finding, named after the first name in order, counting all three; not one copy per name.
        var finding = Assert.Single(report.Findings);
        Assert.Equal(("api.example.com.", 3), (finding.Name, finding.NameCount));
        Assert.All(report.Names, name => Assert.Equal(Verdict.Inconclusive, name.Verdict));
        Assert.All(report.Names, name => Assert.StartsWith("Could not tell whether Amazon can issue for " + name.Name.TrimEnd('.'), name.Answer, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_name_blocked_by_its_own_finding_stays_blocked_beside_a_rule_that_could_not_be_checked()
    {
        string[] names = ["www.example.com.", "example.com."];

        var report = await RunWith([new ThrowingRule(), new BlocksOneName("www.example.com.")], names: names);

        Assert.Equal(Verdict.Blocked, Assert.Single(report.Names, n => n.Name == "www.example.com.").Verdict);
        Assert.Equal(Verdict.Inconclusive, Assert.Single(report.Names, n => n.Name == "example.com.").Verdict);
    }

    [Fact]
    public async Task Of_two_equally_bad_findings_the_plain_answer_names_the_earlier_even_when_one_concerns_every_name()
    {
        string[] names = ["www.example.com.", "example.com."];

        // TEST001 (could not be checked: a notice for every name) comes before TEST005's notice about www alone.
        var report = await RunWith([new ThrowingRule(), new NoticeForOneName("www.example.com.")], names: names);

        var www = Assert.Single(report.Names, n => n.Name == "www.example.com.");
        Assert.Contains("TEST001", www.Answer, StringComparison.Ordinal);
        Assert.DoesNotContain("TEST005", www.Answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_rules_with_one_id_stop_the_catalog() =>
        Assert.Throws<InvalidOperationException>(() => new RuleCatalog([new ThrowingRule(), new ThrowingRule()]));

    private static Task<DiagnosisReport> RunWith(IRule rule, TimeSpan? deadline = null, string[]? names = null) => RunWith([rule], deadline, names);

    private static Task<DiagnosisReport> RunWith(IRule[] rules, TimeSpan? deadline = null, string[]? names = null)
    {
        var apex = DnsName.Parse("example.com.");
        var parsed = MasterFileParser.Parse("$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n", new ZoneParserOptions { Origin = apex });
        var zone = ZoneInput.From(parsed, apex);
        var subject = new Subject(names is null ? [apex] : names.Select(DnsName.Parse).ToList(), Subject.AmazonIdentities);
        var context = new DiagnosisContext(subject, new ZoneView(zone.Data), zone);
        return new RuleEngine(new RuleCatalog(rules)).RunAsync(context, "test", deadline ?? TimeSpan.FromSeconds(5), CancellationToken.None);
    }

    /// <summary>A rule for engine tests: only its ID and its behaviour matter.</summary>
    private abstract class TestRule(string id) : Rule
    {
        protected override string Id => id;

        protected override string Title => id;

        protected override string Family => "TEST";

        protected override Severity DefaultSeverity => Severity.Error;

        protected override string Summary => id;

        protected override IReadOnlyList<string> References => [];
    }

    private sealed class ThrowingRule() : TestRule("TEST001")
    {
        public override ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom");
    }

    private sealed class NullAnsweringRule() : TestRule("TEST006")
    {
        public override ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<Finding>>(null!);
    }

    /// <summary>Synchronous work that never looks at the token (held until the test lets it go, 30 s at most).</summary>
    private sealed class BusyRule(ManualResetEventSlim release) : TestRule("TEST003")
    {
        public override ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken)
        {
            release.Wait(TimeSpan.FromSeconds(30), CancellationToken.None);
            return ValueTask.FromResult(None);
        }
    }

    /// <summary>An error about one name only.</summary>
    private sealed class BlocksOneName(string name) : TestRule("TEST004")
    {
        public override ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<Finding>>(
                [new Finding { RuleId = "TEST004", Severity = Severity.Error, Name = name, Title = "TEST004", Message = "blocked", HelpUri = "/rules/TEST004" }]);
    }

    /// <summary>A notice without a fix, about one name only.</summary>
    private sealed class NoticeForOneName(string name) : TestRule("TEST005")
    {
        public override ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<Finding>>(
                [new Finding { RuleId = "TEST005", Severity = Severity.Notice, Name = name, Title = "TEST005", Message = "odd", HelpUri = "/rules/TEST005", Inconclusive = true }]);
    }

    private sealed class SlowRule() : TestRule("TEST002")
    {
        public override async ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken)
        {
            await Task.Delay(TimeSpan.FromMinutes(5), cancellationToken);
            return None;
        }
    }
}
