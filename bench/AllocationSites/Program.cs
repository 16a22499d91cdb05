// Where a run's bytes are allocated, by call site: reads a trace of the runtime's allocation ticks (an event every
// ~100 KB allocated, with the stack of the allocation that crossed the mark) and prints the share of the sampled
// bytes per type and innermost frames matching a pattern (the project's own code by default). The by-type view of
// bench/DiagnosisCost --types says what is allocated; this says where. Sampled, so only the larger shares mean much.
// Make the trace with dotnet-trace (dotnet tool install -g dotnet-trace), of a process it starts or a running service:
//   dotnet-trace collect --providers Microsoft-Windows-DotNETRuntime:0x1:5 -o run.nettrace -- dotnet bench/DiagnosisCost/bin/Release/net10.0/RulesApi.DiagnosisCost.dll fixture 100000
//   dotnet-trace collect -p PID --providers Microsoft-Windows-DotNETRuntime:0x1:5 --duration 00:00:08 -o run.nettrace
// Usage: dotnet run -c Release --project bench/AllocationSites -- TRACE [FRAMES (default 2)] [TYPE-FILTER|-] [FRAME-PATTERN]
using System.Text.RegularExpressions;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: AllocationSites TRACE.nettrace [FRAMES] [TYPE-FILTER|-] [FRAME-PATTERN]");
    return 2;
}

var depth = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2;
var typeFilter = args.Length > 2 && args[2] != "-" ? args[2] : null;
var frames = new Regex(args.Length > 3 ? args[3] : "RulesApi|FastEndpoints|AspNetCore", RegexOptions.None, TimeSpan.FromSeconds(1));

using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(args[0]));
var bySite = new Dictionary<string, long>(StringComparer.Ordinal);
long total = 0;
// A loop with a type test: the events' non-generic enumerator (which OfType uses) is not implemented.
foreach (var traced in log.Events)
{
    if (traced is not GCAllocationTickTraceData tick)
    {
        continue;
    }

    total += tick.AllocationAmount64;
    if (typeFilter is not null && !tick.TypeName.Contains(typeFilter, StringComparison.Ordinal))
    {
        continue;
    }

    var site = new List<string>(depth);
    for (var call = tick.CallStack(); call is not null && site.Count < depth; call = call.Caller)
    {
        var name = call.CodeAddress.FullMethodName;
        if (frames.IsMatch(name))
        {
            site.Add(name.Length > 100 ? name[^100..] : name);
        }
    }

    var key = $"{tick.TypeName} @ {(site.Count == 0 ? "(no matching frame)" : string.Join(" < ", site))}";
    bySite[key] = bySite.GetValueOrDefault(key) + tick.AllocationAmount64;
}

Console.WriteLine($"{total:N0} bytes sampled");
foreach (var (site, bytes) in bySite.OrderByDescending(pair => pair.Value).Take(70))
{
    Console.WriteLine($"{100.0 * bytes / Math.Max(1, total),5:F1}%  {site}");
}

return 0;
