using System.Diagnostics;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Report;

namespace RulesApi.Api;

/// <summary>
/// One structured log line per request: method, path (never the query string or the body: zone text and
/// certificates stay out of the logs), status, milliseconds, the trace id a 500's problem document
/// names, the name of the caller's API key when keys are on (never the key), and for a diagnosis its source, verdicts, rule count and DNS query count. Outermost, so it
/// sees the status the exception handler and the limits set. <c>Logging:Console:FormatterName=json</c>
/// makes each line a JSON object with these as fields.
/// </summary>
public sealed partial class RequestLog(RequestDelegate next, ILogger<RequestLog> logger)
{
    /// <summary>
    /// What the line needs from further in: when the request arrived and the diagnosis's report. A feature of the request
    /// rather than two entries of its <c>Items</c>: that table (and the boxed time) was made for every request only for these.
    /// It is also the request's logging scope (its trace id and path): every line logged while the request runs — a rule
    /// that threw, an ACM error — carries them, for a formatter that writes scopes (the JSON console's <c>IncludeScopes</c>),
    /// as the hosting's own scope and Activity gave them before those were turned off (ServiceSetup.AddRulesApi).
    /// </summary>
    private sealed class Line(long started, string traceId, string path) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public long Started { get; } = started;

        public DiagnosisReport? Report { get; set; }

        public int Count => 2;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("TraceId", traceId),
            1 => new("RequestPath", path),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
            yield return this[1];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        /// <summary>The scope as the simple console formatter writes it.</summary>
        public override string ToString() => $"TraceId:{traceId} RequestPath:{path}";
    }

    /// <summary>How long ago the request reached the service (this middleware is outermost): what its deadline has already lost.</summary>
    public static TimeSpan Elapsed(HttpContext context) =>
        context.Features.Get<Line>() is { } line ? Stopwatch.GetElapsedTime(line.Started) : TimeSpan.Zero;

    /// <summary>Hands the report of this request to the log line (the endpoint calls it).</summary>
    public static void Attach(HttpContext context, DiagnosisReport report)
    {
        if (context.Features.Get<Line>() is { } line)
        {
            line.Report = report;
        }
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        // RequestIds, before this, set the trace id.
        var line = new Line(started, context.TraceIdentifier, context.Request.Path.Value ?? "/");
        context.Features.Set(line);
        // No scope for a service that logs nothing at all.
        using var scope = logger.IsEnabled(LogLevel.Critical) ? logger.BeginScope(line) : null;
        try
        {
            await next(context);
        }
        finally
        {
            // Nothing is put together for a line that will not be written (a service logging at Warning).
            if (logger.IsEnabled(LogLevel.Information))
            {
                Write(context, line);
            }
        }
    }

    private void Write(HttpContext context, Line line)
    {
        var elapsed = (long)Stopwatch.GetElapsedTime(line.Started).TotalMilliseconds;
        // The request's trace id (RequestIds.cs: the caller's traceparent's, or one made for it), as its problem documents name it.
        var traceId = context.TraceIdentifier;
        // The key's configured name when keys are on (never the key); "-" when no key was asked for.
        var apiKey = ApiKeys.CallerForLog(context) ?? "-";
        if (line.Report is { } report)
        {
            var verdicts = VerdictCounts(report);
            LogDiagnosis(logger, context.Request.Method, context.Request.Path, context.Response.StatusCode, elapsed, traceId, apiKey,
                report.Source, verdicts, report.RulesRun.Count, report.Findings.Count, report.Queries?.Count ?? 0);
        }
        else
        {
            LogRequest(logger, context.Request.Method, context.Request.Path, context.Response.StatusCode, elapsed, traceId, apiKey);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "{Method} {Path} {Status} in {ElapsedMs} ms (trace id {TraceId}, API key {ApiKey}): {Source}, verdicts {Verdicts}, {RuleCount} rules, {FindingCount} findings, {QueryCount} DNS queries")]
    private static partial void LogDiagnosis(ILogger logger, string method, string path, int status, long elapsedMs, string traceId, string apiKey,
        string source, string verdicts, int ruleCount, int findingCount, int queryCount);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Method} {Path} {Status} in {ElapsedMs} ms (trace id {TraceId}, API key {ApiKey})")]
    private static partial void LogRequest(ILogger logger, string method, string path, int status, long elapsedMs, string traceId, string apiKey);

    /// <summary>"blocked:399000,ok:1": every name's verdict counted, those a long audit lists and those it only counts.</summary>
    private static string VerdictCounts(DiagnosisReport report)
    {
        var counts = new int[4];
        foreach (var name in report.Names)
        {
            counts[(int)name.Verdict]++;
        }

        if (report.NamesTruncated is { } more)
        {
            counts[(int)Verdict.Blocked] += more.Blocked;
            counts[(int)Verdict.Inconclusive] += more.Inconclusive;
            counts[(int)Verdict.AtRisk] += more.AtRisk;
            counts[(int)Verdict.Ok] += more.Ok;
        }

        return string.Join(",", Enum.GetValues<Verdict>().Where(v => counts[(int)v] > 0).Select(v => $"{v.ToString().ToLowerInvariant()}:{counts[(int)v]}"));
    }
}

/// <summary>The engine's report of a rule that threw, as a log entry with the exception.</summary>
public static partial class RuleFailureLog
{
    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Rule {RuleId} threw; its findings are reported as inconclusive")]
    public static partial void RuleThrew(ILogger logger, Exception exception, string ruleId);
}
