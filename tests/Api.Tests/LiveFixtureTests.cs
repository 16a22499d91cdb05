using Microsoft.Extensions.DependencyInjection;
using RulesApi.Dns.Live;
using RulesApi.Fixtures;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Api.Tests;

/// <summary>
/// Every scenario diagnosed twice: offline through the fixture view, and live — the live view iterating
/// from the loopback fixture server's root over UDP/TCP on 127.0.10.x. The findings must be the same.
/// </summary>
public sealed class LiveFixtureTests : IClassFixture<ServiceFactory>
{
    private readonly FixtureDiagnosis _diagnosis;

    public LiveFixtureTests(ServiceFactory factory)
    {
        _diagnosis = factory.Services.GetRequiredService<FixtureDiagnosis>();
    }

    public static TheoryData<string> Scenarios() => FixtureScenarioTests.Scenarios();

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Live_over_the_loopback_server_finds_what_the_fixture_view_finds(string name)
    {
        var scenario = FixtureScenario.BuiltIn[name];
        using var server = FixtureDnsServer.Start(scenario);
        var live = new LiveDnsView(server.LiveOptions());

        var offline = await _diagnosis.RunAsync(scenario, [], DnsProvider.Generic, RuleProfile.Default, TimeSpan.FromSeconds(10), CancellationToken.None);
        var online = await _diagnosis.RunAsync(scenario, live, [], DnsProvider.Generic, RuleProfile.Default, TimeSpan.FromSeconds(10), CancellationToken.None);

        // An inconclusive finding says why the lookup failed, and only the live one can name the server and
        // its answer (REFUSED from a lame delegation, say); every other word must be the same.
        static List<string> Summary(DiagnosisReport report) =>
            report.Findings.Select(f => $"{f.RuleId} {f.Name} {f.Severity} {f.Inconclusive} {(f.Inconclusive ? "" : f.Message)}")
                .Concat(report.Names.Select(n => $"{n.Name} {n.Verdict}")).ToList();
        Assert.Equal(Summary(offline), Summary(online));
        Assert.NotEmpty(live.QueryLog);
        Assert.All(live.QueryLog, entry => Assert.StartsWith("127.0.10.", entry.Server, StringComparison.Ordinal));
    }
}
