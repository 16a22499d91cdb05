using System.Diagnostics;
using RulesApi.Fixtures;
using RulesApi.FixtureServer;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Runtime;

// Usage: LiveRoundTrips [delay-ms] [scenario]
// One live diagnosis (CAA climb, validation record, the probes) of a scenario's names, served by the
// loopback fixture server with every answer held back by the delay. Wall time / delay = round trips
// on the critical path. Runs 5 times on fresh views (no cache carries over) and prints each; with
// SHOW_QUERIES=1 set, also each run's queries in the order they completed, with their durations.
var delay = TimeSpan.FromMilliseconds(args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 50);
var scenario = FixtureScenario.BuiltIn[args.Length > 1 ? args[1] : "healthy"];
using var server = FixtureDnsServer.Start(scenario, delay: delay);
var engine = new RuleEngine(new RuleCatalog(RuleCatalog.BuiltInRules()));
var request = Diagnoser.ScenarioDefaults(new DiagnosisRequest(new DiagnosisInput.Live()), scenario);
Console.WriteLine($"scenario {scenario.Name}, names {string.Join(", ", scenario.Metadata.Domains)}, delay {delay.TotalMilliseconds} ms per answer");
for (var run = 0; run < 5; run++)
{
    // A new Diagnoser per run: each live diagnosis gets a fresh view, so no answer carries over.
    var diagnoser = new Diagnoser(engine, RuleProfile.Default, server.LiveOptions(queryTimeoutMs: 5000), new DiagnosisDeadlines(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)));
    var clock = Stopwatch.StartNew();
    var report = await diagnoser.RunAsync(request, CancellationToken.None);
    clock.Stop();
    var log = report.Queries ?? [];
    if (Environment.GetEnvironmentVariable("SHOW_QUERIES") is not null) { foreach (var q in log.OrderBy(q => q.StartedAtMs)) { Console.WriteLine($"  +{q.StartedAtMs,5}ms {q.Server} {q.Name} {q.Type} {q.Outcome} {q.Flags} {q.Milliseconds}ms"); } }
    Console.WriteLine($"run {run + 1}: {clock.ElapsedMilliseconds} ms = {clock.Elapsed / delay:0.0} round trips, {log.Count} queries, verdict {report.Names[0].Verdict}");
}

return 0;
