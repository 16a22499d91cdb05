using System.Diagnostics;
using RulesApi.Fixtures;
using RulesApi.FixtureServer;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Runtime;

// Usage: LiveRoundTrips [delay-ms] [scenario]
// One live diagnosis (CAA climb, validation record, the probes) of a scenario's names, served by the
// loopback fixture server with every answer held back by the delay. Wall time / delay = round trips
// on the critical path. Cold runs use a fresh Diagnoser each (nothing carries over); warm runs share one
// Diagnoser, whose cache keeps the delegations and keys of the zones above the customer's (SharedDnsCache)
// — what a running service has after its first diagnosis. Run 1 includes the JIT. With SHOW_QUERIES=1
// set, also each run's queries in the order they were sent, with their durations.
var delay = TimeSpan.FromMilliseconds(args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 50);
var scenario = FixtureScenario.BuiltIn[args.Length > 1 ? args[1] : "healthy"];
using var server = FixtureDnsServer.Start(scenario, delay: delay);
var engine = new RuleEngine(new RuleCatalog(RuleCatalog.BuiltInRules()));
var request = Diagnoser.ScenarioDefaults(new DiagnosisRequest(new DiagnosisInput.Live()), scenario);
Diagnoser NewDiagnoser() => new(engine, RuleProfile.Default, server.LiveOptions(queryTimeoutMs: 5000), new DiagnosisDeadlines(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)));
Console.WriteLine($"scenario {scenario.Name}, names {string.Join(", ", scenario.Metadata.Domains)}, delay {delay.TotalMilliseconds} ms per answer");
var shared = NewDiagnoser();
foreach (var (run, kind) in new[] { (1, "cold"), (2, "cold"), (3, "cold"), (4, "warm"), (5, "warm"), (6, "warm") })
{
    // Cold: a Diagnoser that has not diagnosed before, so no answer carries over (run 3 is the shared
    // one's first diagnosis). Warm: the shared Diagnoser again, as a running service has it.
    var diagnoser = run < 3 ? NewDiagnoser() : shared;

    var clock = Stopwatch.StartNew();
    var report = await diagnoser.RunAsync(request, CancellationToken.None);
    clock.Stop();
    var log = report.Queries ?? [];
    if (Environment.GetEnvironmentVariable("SHOW_QUERIES") is not null) { foreach (var q in log.OrderBy(q => q.StartedAtMs)) { Console.WriteLine($"  +{q.StartedAtMs,5}ms {q.Server} {q.Name} {q.Type} {q.Outcome} {q.Flags} {q.Milliseconds}ms{(q.Cached == true ? " (cached)" : "")}"); } }
    var sent = log.Count(q => q.Cached != true);
    Console.WriteLine($"run {run} ({kind}): {clock.ElapsedMilliseconds} ms = {clock.Elapsed / delay:0.0} round trips, {sent} queries sent, {log.Count - sent} answers from the cache, verdict {report.Names[0].Verdict}");
}

return 0;
