using RulesApi.Dns.Live;
using RulesApi.Dns.Names;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Tests;

/// <summary>
/// The report's <c>changes</c>: each record a fix proposes, once, with every name it serves and, for a CAA
/// record to add, the CAA records that stay — while each finding keeps its own fix.
/// </summary>
public sealed class RecordChangesTests
{
    private static readonly DnsName Apex = DnsName.Parse("example.com.");

    private const string Zone = """
        $TTL 3600
        @    SOA ns1 hostmaster 1 7200 3600 1209600 300
        @    NS  ns1
        ns1  A   192.0.2.1
        www  CNAME @
        api  A   192.0.2.20
        @    CAA 0 issue "letsencrypt.org"
        @    CAA 0 issue "amazon.com."
        @    CAA 0 iodef "mailto:security@example.com"
        """;

    private static Task<DiagnosisReport> Diagnose(string zone, IEnumerable<string> names, FindingLimits? limits = null) =>
        new Diagnoser(new RuleEngine(new RuleCatalog(RuleCatalog.BuiltInRules())) { Limits = limits ?? FindingLimits.Default }, RuleProfile.Default,
                new LiveDnsOptions(), new DiagnosisDeadlines(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60)))
            .RunAsync(new DiagnosisRequest(DiagnosisInput.ZoneText.FromString(zone, Apex)) { Names = names.Select(n => DnsName.Parse(n)).ToList() },
                CancellationToken.None);

    [Fact]
    public async Task The_apex_caa_fix_for_four_names_is_listed_once_with_the_four_names_and_the_records_to_keep()
    {
        var report = await Diagnose(Zone, ["example.com", "*.example.com", "www.example.com", "api.example.com"]);

        var changes = report.Changes!;
        // Each record once, whatever the number of findings that propose it.
        Assert.Equal(changes.Count, changes.Select(c => (c.Action, c.ZoneLine)).Distinct().Count());
        var remove = Assert.Single(changes, c => c.Action == RecordAction.Remove);
        var add = Assert.Single(changes, c => c.Action == RecordAction.Add);
        Assert.Equal("example.com. 3600 IN CAA 0 issue \"amazon.com.\"", remove.ZoneLine);
        Assert.Equal("example.com. 300 IN CAA 0 issue \"amazon.com\"", add.ZoneLine);
        string[] all = ["example.com.", "*.example.com.", "www.example.com.", "api.example.com."];
        Assert.Equal(all, add.Names);
        Assert.Equal(all, remove.Names);
        Assert.Equal(["CAA001", "CAA004"], add.RuleIds);
        // The records of the CAs still in use stay; the one being removed is not among them.
        Assert.Equal(["example.com. 3600 IN CAA 0 issue \"letsencrypt.org\"", "example.com. 3600 IN CAA 0 iodef \"mailto:security@example.com\""], add.Keep);
        Assert.Null(remove.Keep);
        // At one owner, what goes comes before what is added.
        Assert.True(changes.ToList().IndexOf(remove) < changes.ToList().IndexOf(add));
        // The findings keep their own fixes, repeated per name, for callers that read them.
        Assert.True(report.Findings.Count(f => f.Remediation?.Records.Any(r => r.ZoneLine == add.ZoneLine) == true) >= 4);
    }

    [Fact]
    public async Task Each_plain_answer_says_the_same_records_serve_the_other_names()
    {
        var report = await Diagnose(Zone, ["example.com", "www.example.com"]);

        var www = Assert.Single(report.Names, n => n.Name == "www.example.com.");
        Assert.Contains("keep the others", www.Answer, StringComparison.Ordinal);
        Assert.Contains("The same records do it for example.com: make the change once.", www.Answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Beyond_three_other_names_the_plain_answer_names_two_and_counts_the_rest()
    {
        var report = await Diagnose(Zone, ["example.com", "www.example.com", "*.example.com", "api.example.com", "shop.example.com"]);

        var apex = Assert.Single(report.Names, n => n.Name == "example.com.");
        Assert.EndsWith("The same records do it for www.example.com, *.example.com and 2 more names: make the change once.", apex.Answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_alone_gets_no_mention_of_other_names()
    {
        var report = await Diagnose(Zone, ["api.example.com"]);

        Assert.DoesNotContain("make the change once", Assert.Single(report.Names).Answer, StringComparison.Ordinal);
        Assert.Equal(["api.example.com."], report.Changes!.Select(c => c.Names).Distinct(new SequenceComparer()).Single());
    }

    [Fact]
    public async Task A_change_lists_every_name_it_serves_even_when_the_report_shows_only_some_findings()
    {
        // One finding per rule is shown: the change still names all three names.
        var report = await Diagnose(Zone, ["example.com", "www.example.com", "api.example.com"], new FindingLimits(1));

        Assert.NotNull(report.Truncated);
        var add = Assert.Single(report.Changes!, c => c.Action == RecordAction.Add);
        Assert.Equal(3, add.Names.Count);
    }

    [Fact]
    public async Task A_change_that_serves_more_names_than_it_lists_counts_them()
    {
        // A zone audit: every CAA owner's TTL003 finding proposes the same SOA change.
        var owners = string.Concat(Enumerable.Range(0, 150).Select(i => $"o{i:D3} CAA 0 issue \"letsencrypt.org\"\n"));
        var zone = "$TTL 3600\n@ SOA ns1 hostmaster 1 300 3600 3600 300\n@ NS ns1\nns1 A 192.0.2.1\n" + owners;
        var report = await new Diagnoser(new RuleEngine(new RuleCatalog(RuleCatalog.BuiltInRules())), RuleProfile.Default, new LiveDnsOptions(),
                new DiagnosisDeadlines(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60)))
            .RunAsync(new DiagnosisRequest(DiagnosisInput.ZoneText.FromString(zone, Apex)), CancellationToken.None);

        var soa = Assert.Single(report.Changes!, c => c.Type == "SOA");
        Assert.Equal(RecordChanges.MaxNamesListed, soa.Names.Count);
        Assert.Equal(report.Names.Count, soa.NameCount);
        Assert.True(soa.NameCount > RecordChanges.MaxNamesListed);
        // A change that lists all its names does not count them.
        Assert.All(report.Changes!.Where(c => c.Type == "CAA"), c => Assert.Null(c.NameCount));
    }

    [Fact]
    public async Task Nothing_to_change_leaves_the_section_out()
    {
        var clean = string.Join('\n', Zone.Split('\n').Where(line => !line.Contains("CAA", StringComparison.Ordinal))) + "\n@ CAA 0 issue \"amazon.com\"\n";
        var report = await Diagnose(clean, ["api.example.com"]);

        Assert.DoesNotContain(report.Findings, f => f.Remediation is { Records.Count: > 0 });
        Assert.Null(report.Changes);
    }

    private sealed class SequenceComparer : IEqualityComparer<IReadOnlyList<string>>
    {
        public bool Equals(IReadOnlyList<string>? x, IReadOnlyList<string>? y) => x!.SequenceEqual(y!);

        public int GetHashCode(IReadOnlyList<string> obj) => obj.Count;
    }
}
