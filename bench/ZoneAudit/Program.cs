using System.Diagnostics;
using RulesApi.Dns.Live;
using RulesApi.Dns.Names;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Runtime;

// Usage: ZoneAudit <zone-file> <origin>
// Reads the file a block at a time, parses it, and audits it with every built-in rule: the work POST /diagnose does
// for a zone without names. Prints the counts and the time spent, and exits 0.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: ZoneAudit <zone-file> <origin>");
    return 2;
}

var clock = Stopwatch.StartNew();
var diagnoser = new Diagnoser(new RuleEngine(new RuleCatalog(RuleCatalog.BuiltInRules())), RuleProfile.Default, new LiveDnsOptions(),
    new DiagnosisDeadlines(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5)));
var zone = new DiagnosisInput.ZoneText(() => new StreamReader(args[0]), DnsName.Parse(args[1].TrimEnd('.') + "."));
var report = await diagnoser.RunAsync(new DiagnosisRequest(zone), CancellationToken.None);

var rules = string.Join(",", report.Findings.GroupBy(f => f.RuleId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}:{g.Count()}"));
Console.WriteLine($"records={report.Zone!.Records} lines={report.Zone.Lines} findings={report.Findings.Count} ({rules}) names={report.Names.Count} ms={clock.ElapsedMilliseconds}");
return 0;
