// Bytes allocated and CPU time per diagnosis, without HTTP: the request is read as the service reads a
// JSON body, diagnosed, and its report written as JSON. Allocation counts are exact and do not depend on
// the machine's load (unlike time), so they are what to compare before and after a change; CPU time is
// printed beside wall time because other processes inflate the latter.
// Usage: dotnet run -c Release --project bench/DiagnosisCost -- [fixture|zone|audit] [ITERATIONS] [--types] [--phases]
//   fixture: {"fixture":"healthy"}; zone: samples/example.com.zone with two names; audit: the same zone alone (an audit,
//   which keeps only the record types its rules read, its name records compactly)
//   --types   also print which types the diagnoses allocate (the runtime's allocation sampling, ~every 100 KB)
//   --phases  also print where each diagnosis's time goes: reading the request, each rule (the engine's own
//             rulesapi.rule.duration measurements), the rest of the diagnosis, and writing the report
using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using RulesApi.Dns.Live;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

var kind = args.Length > 0 ? args[0] : "fixture";
var iterations = args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
using var sampler = args.Contains("--types") ? new AllocationSampler() : null;
using var phases = args.Contains("--phases") ? new PhaseTimes() : null;
var body = kind switch
{
    "fixture" => "{\"fixture\":\"healthy\"}",
    "zone" => JsonSerializer.Serialize(new { zoneFile = File.ReadAllText(SampleZone()), domains = new[] { "example.com", "www.example.com" } }),
    "audit" => JsonSerializer.Serialize(new { zoneFile = File.ReadAllText(SampleZone()) }),
    _ => throw new ArgumentException($"unknown kind '{kind}': fixture, zone or audit"),
};

var engine = new RuleEngine(RuleCatalog.Load([]), TimeProvider.System);
var diagnoser = new Diagnoser(engine, RuleProfile.Default, new LiveDnsOptions());

var output = new ArrayBufferWriter<byte>(64 * 1024);

async Task<int> DiagnoseOnce()
{
    var started = Stopwatch.GetTimestamp();
    using var document = JsonDocument.Parse(body);
    var errors = new List<FieldError>();
    // As the service reads a body: zoneFile into pooled UTF-8 chunks (ZoneTextBuffer), given back when the answer is written.
    var fields = DiagnosisRequestJson.Read(document.RootElement, errors, zoneFileAsBytes: true) ?? throw new InvalidDataException(string.Join("; ", errors));
    using var zoneText = fields.ZoneText;
    var request = DiagnosisRequestParser.Parse(fields).Request ?? throw new InvalidDataException("the request did not parse");
    var read = Stopwatch.GetTimestamp();
    var report = await diagnoser.RunAsync(request, CancellationToken.None);
    var diagnosed = Stopwatch.GetTimestamp();
    // Written as the service writes it: rendered whole into the thread's buffer, then copied into one that outlives the
    // request (the response's pipe is pooled).
    output.ResetWrittenCount();
    using (var json = ReportJson.Render(report))
    {
        output.Write(json.Bytes);
    }

    var length = output.WrittenCount;
    phases?.Add(read - started, diagnosed - read, Stopwatch.GetTimestamp() - diagnosed);
    return length;
}

// Warm up: JIT, tiered compilation, the fixture view's answers.
for (var i = 0; i < Math.Min(2_000, iterations); i++)
{
    await DiagnoseOnce();
}

if (sampler is not null)
{
    sampler.Listening = true;
}

phases?.Start();

var process = Process.GetCurrentProcess();
var cpuBefore = process.TotalProcessorTime;
var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
var wall = Stopwatch.StartNew();
var answerBytes = 0;
for (var i = 0; i < iterations; i++)
{
    answerBytes = await DiagnoseOnce();
}

wall.Stop();
var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
process.Refresh();
var cpu = process.TotalProcessorTime - cpuBefore;
Console.WriteLine($"{kind}: {allocated / iterations:N0} bytes allocated per diagnosis, {cpu.TotalMicroseconds / iterations:F0} µs CPU " +
    $"({wall.Elapsed.TotalMicroseconds / iterations:F0} µs wall), answer {answerBytes:N0} bytes; {iterations:N0} diagnoses");

if (sampler is not null)
{
    sampler.Listening = false;
    sampler.Print(iterations);
}

phases?.Print(iterations);

static string SampleZone()
{
    // From the repository's root or any folder below it.
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        var path = Path.Combine(folder.FullName, "samples", "example.com.zone");
        if (File.Exists(path))
        {
            return path;
        }
    }

    throw new FileNotFoundException("samples/example.com.zone was not found above " + AppContext.BaseDirectory);
}
