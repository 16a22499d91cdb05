using RulesApi.Dns.Live;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Fixtures;
using RulesApi.Rules.Caa;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Tests;

/// <summary>
/// Whom a failed lookup blames is decided from the view's classification of it (<see cref="FailureKind"/>),
/// never from the words of its detail: the same detail text gives different messages for different kinds.
/// </summary>
public sealed class FailureKindTests
{
    private static readonly DnsName Www = DnsName.Parse("www.example.com.");

    /// <summary>Fails every question the same way, with a detail that reads like a SERVFAIL whatever the kind.</summary>
    private sealed class FailingView(FailureKind kind) : IDnsView
    {
        public string Description => "failing";

        public ValueTask<DnsAnswer> QueryAsync(DnsName name, RecordType type, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new DnsAnswer(name, type, AnswerStatus.Failure, [], name, "ns1.example.com. (192.0.2.1) answered SERVFAIL") { FailedBecause = kind });
    }

    private static async Task<Finding> Caa009(FailureKind kind)
    {
        var context = new DiagnosisContext(new Subject([Www], Subject.AmazonIdentities), new FailingView(kind));
        var findings = await new CAA009_CaaLookupNotCheckable().EvaluateAsync(context, CancellationToken.None);
        return Assert.Single(findings);
    }

    [Theory]
    [InlineData(FailureKind.ServerError, "lookup-failed")]
    [InlineData(FailureKind.BrokenData, "lookup-failed")]
    [InlineData(FailureKind.Unclassified, "lookup-failed")]
    [InlineData(FailureKind.ServersSilent, "not-done")]
    [InlineData(FailureKind.LimitReached, "not-done")]
    [InlineData(FailureKind.OwnServersSilent, "own-servers-silent")]
    public async Task CAA009_takes_its_message_from_the_kind_of_failure_not_from_the_detail(FailureKind kind, string messageId)
    {
        var finding = await Caa009(kind);

        Assert.Equal(messageId, finding.MessageId);
        Assert.True(finding.Inconclusive);
    }

    [Fact]
    public async Task CAA009_own_servers_silent_says_so_and_does_not_send_the_owner_to_fix_the_zone()
    {
        var finding = await Caa009(FailureKind.OwnServersSilent);

        Assert.Contains("this service's own DNS servers did not answer", finding.Message, StringComparison.Ordinal);
        Assert.Contains("Dns:RootServers, Dns:Resolvers", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("check the CAA records", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CAA009_a_limit_of_the_diagnosis_is_named_as_such()
    {
        var finding = await Caa009(FailureKind.LimitReached);

        Assert.Contains("stopped at its own limits", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { FailureKind.ServersSilent, FailureKind.ServerError }, FailureKind.ServerError)]
    [InlineData(new[] { FailureKind.ServersSilent, FailureKind.ServersSilent }, FailureKind.ServersSilent)]
    [InlineData(new[] { FailureKind.ServersSilent, FailureKind.LimitReached }, FailureKind.ServersSilent)]
    [InlineData(new[] { FailureKind.OwnServersSilent }, FailureKind.OwnServersSilent)]
    [InlineData(new[] { FailureKind.LimitReached, FailureKind.BrokenData }, FailureKind.BrokenData)]
    [InlineData(new[] { FailureKind.ServersSilent, FailureKind.Unclassified }, FailureKind.Unclassified)]
    [InlineData(new FailureKind[0], FailureKind.Unclassified)]
    public void A_lookup_failed_at_several_servers_takes_the_kind_that_says_most_against_the_zone(FailureKind[] kinds, FailureKind expected)
    {
        Assert.Equal(expected, FailureKinds.Combine(kinds));
    }

    [Theory]
    [InlineData("fault-validation-timeout", "VAL009", "not-done")]
    [InlineData("fault-caa-servfail", "CAA009", "lookup-failed")]
    public async Task The_fixture_view_classifies_its_faults_as_the_live_view_does(string scenario, string ruleId, string messageId)
    {
        var diagnoser = new Diagnoser(new RuleEngine(new RuleCatalog(RuleCatalog.BuiltInRules())), RuleProfile.Default, new LiveDnsOptions(),
            new DiagnosisDeadlines(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60)));

        var report = await diagnoser.RunAsync(new DiagnosisRequest(new DiagnosisInput.Fixture(FixtureScenario.BuiltIn[scenario])), CancellationToken.None);

        Assert.Equal(messageId, Assert.Single(report.Findings, f => f.RuleId == ruleId).MessageId);
    }
}
