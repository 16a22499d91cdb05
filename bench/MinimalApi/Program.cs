// The ceiling for bench/api-throughput.sh: what ASP.NET Core itself does on this machine for a POST
// that binds a small JSON body and answers about 1 KB of JSON, with nothing else in the pipeline.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var findings = Enumerable.Range(1, 4).Select(i => new Finding($"CAA00{i}", "warning", "www.example.com.",
    "A finding's title of ordinary length", "A message of the length the service's findings have, naming the record and what to do about it, about two hundred characters in all.")).ToArray();
app.MapPost("/diagnose", (Request request) => Results.Json(new Report(request.Fixture ?? "none", request.Domains ?? [], findings)));
app.Run();

internal sealed record Request(string? Fixture, string[]? Domains);

internal sealed record Finding(string RuleId, string Severity, string Name, string Title, string Message);

internal sealed record Report(string Source, string[] Domains, Finding[] Findings);
