using System.Text;
using Microsoft.Extensions.Time.Testing;
using RulesApi.Dns.Names;
using RulesApi.Dns.Views;
using RulesApi.Dns.ZoneFiles;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Tests;

/// <summary>
/// Issue 17: a report's size is bounded whatever the zone (findings per rule capped and counted, a finding
/// repeated for every name reported once, long echoed text cut short), verdicts still count every finding,
/// and the diagnosis's deadline and the caller's cancellation reach the reading of the zone.
/// </summary>
public sealed class BoundedReportTests
{
    private static readonly DnsName Apex = DnsName.Parse("example.com.");

    /// <summary>The zone of the scaling benchmark: owners whose CAA sets allow only Let's Encrypt, and SOA timers TTL003 dislikes.</summary>
    private static string CaaOwners(int count)
    {
        var text = new StringBuilder("$TTL 3600\n@ SOA ns1 hostmaster 1 300 3600 3600 300\n@ NS ns1\nns1 A 192.0.2.1\n");
        for (var i = 0; i < count; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"o{i:D6} CAA 0 issue \"letsencrypt.org\"\n");
        }

        return text.ToString();
    }

    private static Diagnoser Diagnoser(FindingLimits? limits = null, TimeSpan? deadline = null) =>
        new(new RuleEngine(new RuleCatalog(RuleCatalog.BuiltInRules())) { Limits = limits ?? FindingLimits.Default }, RuleProfile.Default,
            new Dns.Live.LiveDnsOptions(), new DiagnosisDeadlines(deadline ?? TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60)));

    private static DiagnosisRequest Audit(string zone) => new(DiagnosisInput.ZoneText.FromString(zone, Apex));

    [Fact]
    public async Task An_audit_reports_at_most_the_cap_per_rule_and_counts_the_rest_while_every_name_keeps_its_verdict()
    {
        var report = await Diagnoser(new FindingLimits(40)).RunAsync(Audit(CaaOwners(300)), CancellationToken.None);

        Assert.Equal(40, report.Findings.Count(f => f.RuleId == "CAA001"));
        var cut = Assert.Single(report.Truncated!, t => t.RuleId == "CAA001");
        Assert.Equal((40, 260), (cut.Reported, cut.Omitted));
        // The owners whose findings were left out are blocked all the same.
        Assert.Equal(300, report.Names.Count(n => n.Name.StartsWith('o') && n.Verdict == Verdict.Blocked));
        Assert.DoesNotContain(report.Truncated!, t => t.RuleId == "TTL003");
    }

    [Fact]
    public async Task An_audit_lists_the_worst_names_up_to_the_cap_and_counts_the_rest_by_verdict()
    {
        var report = await Diagnoser(new FindingLimits(PerRule: 40, Names: 50)).RunAsync(Audit(CaaOwners(300)), CancellationToken.None);

        // 300 owners are blocked and the apex is ok: the 50 listed are the first blocked owners, in the audit's order.
        Assert.Equal(50, report.Names.Count);
        Assert.All(report.Names, name => Assert.Equal(Verdict.Blocked, name.Verdict));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"o{i:D6}.example.com."), report.Names.Select(n => n.Name));
        Assert.All(report.Names, name => Assert.NotNull(name.Answer));
        var omitted = report.NamesTruncated!;
        Assert.Equal((50, 251, 250, 1, 0, 0), (omitted.Reported, omitted.Omitted, omitted.Blocked, omitted.Ok, omitted.AtRisk, omitted.Inconclusive));
        Assert.Equal("250 blocked, 1 ok", omitted.ByVerdict());
    }

    [Fact]
    public async Task A_report_within_the_name_cap_lists_every_name_and_says_nothing_was_left_out()
    {
        var report = await Diagnoser(new FindingLimits(Names: 301)).RunAsync(Audit(CaaOwners(300)), CancellationToken.None);

        Assert.Equal(301, report.Names.Count);
        Assert.Equal("example.com.", report.Names[0].Name);
        Assert.Null(report.NamesTruncated);
    }

    [Fact]
    public async Task The_soa_timers_of_the_zone_are_one_finding_that_says_how_many_names_it_concerns()
    {
        var report = await Diagnoser().RunAsync(Audit(CaaOwners(5)), CancellationToken.None);

        var timers = Assert.Single(report.Findings, f => f.RuleId == "TTL003");
        Assert.Equal(6, timers.NameCount); // the apex and five owners
        Assert.Equal("example.com.", timers.Name);
        // A finding about one name alone carries no count.
        Assert.All(report.Findings.Where(f => f.RuleId == "CAA001"), f => Assert.Null(f.NameCount));
        Assert.Null(report.Truncated);
    }

    [Fact]
    public void Findings_merge_only_when_everything_but_the_name_is_the_same()
    {
        static Finding Timers(string name, string evidence = "@ SOA …", RecordAction action = RecordAction.Change) => new()
        {
            RuleId = "TTL003",
            Severity = Severity.Warning,
            Name = name,
            Title = "t",
            Message = "The SOA timers are inconsistent",
            HelpUri = "/rules/TTL003",
            Evidence = [evidence],
            Remediation = new Remediation("Fix the SOA", [new RemediationRecord(action, "example.com.", "@", "SOA", 300, "v", "@ 300 IN SOA v")]),
        };

        var merged = FindingLimits.MergeRepeated([Timers("www.example.com."), Timers("Example.com."), Timers("example.com."), Timers("a.example.com."),
            Timers("b.example.com.", evidence: "other"), Timers("c.example.com.", action: RecordAction.Add)]);

        // The four that differ only by name (two of them by case alone: one name) are one finding, named after the first in order.
        var one = Assert.Single(merged, f => f.NameCount is not null);
        Assert.Equal(3, one.NameCount);
        Assert.Equal("a.example.com.", one.Name);
        // Other evidence, or another fix, is another finding.
        Assert.Equal(3, merged.Count);
        Assert.Contains(merged, f => f.Name == "b.example.com." && f.NameCount is null);
        Assert.Contains(merged, f => f.Name == "c.example.com." && f.NameCount is null);
    }

    [Fact]
    public void Findings_whose_messages_are_rendered_later_merge_by_their_text()
    {
        // Rendered from different arguments, "x"+"yz" and "xy"+"z" are the same text: one finding for two names.
        // The text, not the arguments, decides, as it did when every message was rendered at once.
        var findings = new TemplatedRule().Findings(("a.example.com.", "x", "yz"), ("b.example.com.", "xy", "z"), ("c.example.com.", "x", "y"));

        var merged = FindingLimits.MergeRepeated(findings);

        Assert.Equal(2, merged.Count);
        var both = Assert.Single(merged, f => f.NameCount == 2);
        Assert.Equal("a.example.com.", both.Name);
        Assert.Equal("Text xyz.", both.Message);
        Assert.Equal("Text xy.", Assert.Single(merged, f => f.NameCount is null).Message);
        Assert.Equal(findings[0], findings[1] with { Name = "a.example.com." });
    }

    [Fact]
    public void A_few_findings_compared_one_by_one_merge_as_many_hashed_do()
    {
        // A request's few findings are compared pairwise, more are hashed: the same findings give the same groups either way.
        var rule = new TemplatedRule();
        var few = rule.Findings(("b.example.com.", "x", "yz"), ("a.example.com.", "xy", "z"), ("c.example.com.", "x", "y"), ("d.example.com.", "xyz", ""));
        var padding = rule.Findings([.. Enumerable.Range(0, 30).Select(i => ($"n{i}.example.com.", "n", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);

        var alone = FindingLimits.MergeRepeated(few);
        var among = FindingLimits.MergeRepeated([.. few, .. padding]);

        Assert.Equal(2, alone.Count);
        Assert.Equal(2 + padding.Count, among.Count);
        foreach (var (pairwise, hashed) in alone.Zip(among))
        {
            Assert.Equal((pairwise.Name, pairwise.Message, pairwise.NameCount), (hashed.Name, hashed.Message, hashed.NameCount));
        }

        Assert.Equal(("a.example.com.", 3), (alone[0].Name, alone[0].NameCount));
    }

    [Fact]
    public void Findings_too_many_to_render_at_once_merge_by_their_text_too()
    {
        // Past a rule's default cap in all, the messages are compared through the scratch buffer and left as templates:
        // the same groups as when few are rendered at once.
        var rule = new TemplatedRule();
        var findings = rule.Findings(("a.example.com.", "x", "yz"), ("b.example.com.", "xy", "z"), ("c.example.com.", "x", "y"))
            .Concat(rule.Findings([.. Enumerable.Range(0, FindingLimits.DefaultPerRule).Select(i => ($"n{i}.example.com.", "n", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))]))
            .ToList();

        var merged = FindingLimits.MergeRepeated(findings);

        Assert.Equal(2 + FindingLimits.DefaultPerRule, merged.Count);
        var both = Assert.Single(merged, f => f.NameCount == 2);
        Assert.Equal("a.example.com.", both.Name);
        Assert.Equal("Text xyz.", both.Message);
        Assert.Equal("Text n99.", Assert.Single(merged, f => f.Name == "n99.example.com.").Message);
    }

    [Fact]
    public async Task The_CAA_facts_of_thousands_of_names_made_on_every_core_give_the_report_made_one_name_after_another()
    {
        // Some owners' sets allow Amazon, some forbid it, some are malformed: every CAA rule has something to say.
        var text = new StringBuilder(CaaOwners(0));
        for (var i = 0; i < 2000; i++)
        {
            var value = (i % 3) switch { 0 => "amazon.com", 1 => "letsencrypt.org", _ => "amazon.com." };
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"o{i:D6} CAA 0 issue \"{value}\"\nw.o{i:D6} CNAME o{(i + 7) % 2000:D6}\n");
        }

        var parsed = MasterFileParser.Parse(text.ToString(), new ZoneParserOptions { Origin = Apex });
        var zone = ZoneInput.From(parsed, Apex);
        var names = Rules.Diagnosis.Diagnoser.AuditNames(zone.Data).Concat(zone.Data.CnameOwners).ToList();
        var engine = new RuleEngine(new RuleCatalog(RuleCatalog.BuiltInRules()), new FakeTimeProvider(FixtureRun.Now)) { Limits = FindingLimits.Unlimited };
        async Task<string> Report(IDnsView view)
        {
            var context = new DiagnosisContext(new Subject(names, Subject.AmazonIdentities), view, zone);
            var report = await engine.RunAsync(context, "zone-audit", TimeSpan.FromSeconds(60), CancellationToken.None);
            return ReportJson.Serialize(report with { ElapsedMs = 0 });
        }

        var together = await Report(new ZoneView(zone.Data));
        var oneByOne = await Report(new OneQuestionAtATime(new ZoneView(zone.Data)));

        Assert.Equal(oneByOne, together);
        Assert.Contains("\"CAA001\"", together, StringComparison.Ordinal);
        Assert.Contains("\"CAA004\"", together, StringComparison.Ordinal);
    }

    /// <summary>The same answers, from a view that does not say they come from memory: the names are climbed one after another.</summary>
    private sealed class OneQuestionAtATime(IDnsView inner) : IDnsView
    {
        public string Description => inner.Description;

        public ValueTask<DnsAnswer> QueryAsync(DnsName name, Dns.Records.RecordType type, CancellationToken cancellationToken) =>
            inner.QueryAsync(name, type, cancellationToken);
    }

    [Fact]
    public async Task Without_a_cap_every_finding_is_reported()
    {
        var report = await Diagnoser(FindingLimits.Unlimited).RunAsync(Audit(CaaOwners(150)), CancellationToken.None);

        Assert.Equal(150, report.Findings.Count(f => f.RuleId == "CAA001"));
        Assert.Null(report.Truncated);
    }

    [Fact]
    public async Task A_long_message_and_long_evidence_are_cut_short_with_how_much_was_cut()
    {
        var parsed = MasterFileParser.Parse("$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n", new ZoneParserOptions { Origin = Apex });
        var zone = ZoneInput.From(parsed, Apex);
        var context = new DiagnosisContext(new Subject([Apex], Subject.AmazonIdentities), new ZoneView(zone.Data), zone);

        var report = await new RuleEngine(new RuleCatalog([new TalkativeRule()])).RunAsync(context, "test", TimeSpan.FromSeconds(5), CancellationToken.None);

        var finding = Assert.Single(report.Findings);
        Assert.True(finding.Message.Length < FindingLimits.MaxTextLength + 64, $"message of {finding.Message.Length} characters");
        Assert.EndsWith("(97952 more characters)", finding.Message, StringComparison.Ordinal);
        Assert.True(Assert.Single(finding.Evidence).Length < FindingLimits.MaxTextLength + 64);
    }

    [Fact]
    public async Task A_cancelled_caller_stops_the_reading_of_a_large_zone()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Diagnoser().RunAsync(Audit(CaaOwners(50_000)), cancelled.Token));
    }

    [Fact]
    public async Task A_zone_that_cannot_be_read_within_the_deadline_ends_the_diagnosis_with_the_deadline()
    {
        var zone = CaaOwners(400_000);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var late = await Assert.ThrowsAsync<DiagnosisDeadlineException>(() => Diagnoser(deadline: TimeSpan.FromMilliseconds(50)).RunAsync(Audit(zone), CancellationToken.None));

        Assert.Equal(TimeSpan.FromMilliseconds(50), late.Deadline);
        // Reading 400k records takes seconds; stopping at the deadline takes far less (a loose bound for a busy machine).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Echoed_request_values_are_cut_short()
    {
        var huge = new string('x', 5_000_000);

        var parsed = DiagnosisRequestParser.Parse(new DiagnosisRequestFields { Domains = ["www.example.com"], Provider = huge, Origin = huge, Ca = huge });

        Assert.Equal(["provider", "ca", "origin"], parsed.Errors.Select(e => e.Field));
        Assert.All(parsed.Errors, e => Assert.True(e.Message.Length < 400, $"{e.Field}: {e.Message.Length} characters"));
        Assert.Contains("(5000000 characters)", parsed.Errors[0].Message, StringComparison.Ordinal);
        Assert.True(new FieldError(huge, huge) is { Field.Length: < 400, Message.Length: < 1200 });
    }

    /// <summary>A rule for these tests: only its ID and what it reports matter.</summary>
    private abstract class TestRule(string id) : Rule
    {
        protected override string Id => id;

        protected override string Title => id;

        protected override string Family => "TEST";

        protected override Severity DefaultSeverity => Severity.Warning;

        protected override string Summary => id;

        protected override IReadOnlyList<string> References => [];
    }

    /// <summary>A rule whose findings carry a declared message, rendered when first read.</summary>
    private sealed class TemplatedRule() : TestRule("TEST011")
    {
        private static readonly RuleMessage Joined = new("joined", Severity.Warning, "Text {first}{second}.");

        protected override IReadOnlyList<RuleMessage> Messages => [Joined];

        public List<Finding> Findings(params (string Name, string First, string Second)[] cases) =>
            cases.Select(c => Report(DnsName.Parse(c.Name), Joined, new { first = c.First, second = c.Second })).ToList();

        public override ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<Finding>>([]);
    }

    private sealed class TalkativeRule() : TestRule("TEST010")
    {
        public override ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<Finding>>([Report(context.Subject.Names[0], new string('m', 100_000), [new string('e', 100_000)])]);
    }
}
