using Microsoft.Extensions.DependencyInjection;
using RulesApi.Fixtures;
using RulesApi.FixtureServer;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Api.Tests;

/// <summary>
/// Every scenario diagnosed twice: offline through the fixture view, and live — the live view iterating
/// from the loopback fixture server's root over UDP/TCP on 127.0.10.x. The findings must be the same.
/// </summary>
public sealed class LiveFixtureTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public LiveFixtureTests(ServiceFactory factory)
    {
        _factory = factory;
    }

    public static TheoryData<string> Scenarios() => FixtureScenarioTests.Scenarios();

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Live_over_the_loopback_server_finds_what_the_fixture_view_finds(string name)
    {
        var scenario = FixtureScenario.BuiltIn[name];
        using var server = FixtureDnsServer.Start(scenario);
        var engine = _factory.Services.GetRequiredService<RuleEngine>();
        var liveDiagnoser = new Diagnoser(engine, RuleProfile.Default, server.LiveOptions());

        var offline = await _factory.Services.GetRequiredService<Diagnoser>().RunAsync(new DiagnosisRequest(new DiagnosisInput.Fixture(scenario)), CancellationToken.None);
        // The same question — the scenario's names, validation records and provider — asked of live DNS.
        var online = await liveDiagnoser.RunAsync(Diagnoser.ScenarioDefaults(new DiagnosisRequest(new DiagnosisInput.Live()), scenario), CancellationToken.None);

        // An inconclusive finding says why the lookup failed, and only the live one can name the server and
        // its answer (REFUSED from a lame delegation, say); every other word must be the same.
        static List<string> Summary(DiagnosisReport report) =>
            report.Findings.Select(f => $"{f.RuleId} {f.Name} {f.Severity} {f.Inconclusive} {(f.Inconclusive ? "" : f.Message)}")
                .Concat(report.Names.Select(n => $"{n.Name} {n.Verdict}")).ToList();
        Assert.Equal(Summary(offline), Summary(online));
        Assert.NotEmpty(online.Queries!);
        Assert.All(online.Queries!, entry => Assert.StartsWith("127.0.10.", entry.Server, StringComparison.Ordinal));
    }
}
