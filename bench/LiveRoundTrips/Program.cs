using System.Diagnostics;
using RulesApi.Dns.Live;
using RulesApi.Fixtures;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

// Usage: LiveRoundTrips [delay-ms] [scenario]
// One live diagnosis (CAA climb, validation record, the probes) of a scenario's names, served by the
// loopback fixture server with every answer held back by the delay. Wall time / delay = round trips
// on the critical path. Runs 5 times on fresh views (no cache carries over) and prints each; with
// SHOW_QUERIES=1 set, also each run's queries in the order they completed, with their durations.
var delay = TimeSpan.FromMilliseconds(args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 50);
var scenario = FixtureScenario.BuiltIn[args.Length > 1 ? args[1] : "healthy"];
using var server = FixtureDnsServer.Start(scenario, delay: delay);
var diagnosis = new FixtureDiagnosis(new RuleEngine(new RuleCatalog(RuleCatalog.BuiltInRules())));
Console.WriteLine($"scenario {scenario.Name}, names {string.Join(", ", scenario.Metadata.Domains)}, delay {delay.TotalMilliseconds} ms per answer");
for (var run = 0; run < 5; run++)
{
    var live = new LiveDnsView(server.LiveOptions(queryTimeoutMs: 5000));
    var clock = Stopwatch.StartNew();
    var report = await diagnosis.RunAsync(scenario, live, [], DnsProvider.Generic, RuleProfile.Default, TimeSpan.FromSeconds(30), CancellationToken.None);
    clock.Stop();
    if (Environment.GetEnvironmentVariable("SHOW_QUERIES") is not null) { foreach (var q in live.QueryLog.OrderBy(q => q.StartedAtMs)) { Console.WriteLine($"  +{q.StartedAtMs,5}ms {q.Server} {q.Name} {q.Type} {q.Outcome} {q.Flags} {q.Milliseconds}ms"); } }
    Console.WriteLine($"run {run + 1}: {clock.ElapsedMilliseconds} ms = {clock.Elapsed / delay:0.0} round trips, {live.QueryLog.Count} queries, verdict {report.Names[0].Verdict}");
}

return 0;
