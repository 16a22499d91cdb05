using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Runtime;

namespace RulesApi.Api.Tests;

/// <summary>What the operator sees: one line per request with its trace id and counts, a rule's exception, and never the zone text.</summary>
/// <remarks>Not beside <see cref="TelemetryTests"/>, whose tracing makes every host in the process start an Activity per request.</remarks>
[Collection(ActivityListeners.Name)]
public sealed class RequestLogTests : IDisposable
{
    private const string Secret = "zone-text-must-not-be-logged-7f3a";
    private readonly ServiceFactory _factory = new();
    private readonly CapturedLogs _logs = new();

    public void Dispose() => _factory.Dispose();

    private HttpClient Client(Action<IServiceCollection>? services = null) => _factory.WithWebHostBuilder(host => host
        .ConfigureLogging(logging => logging.AddProvider(_logs))
        .ConfigureServices(collection => services?.Invoke(collection))).CreateClient();

    [Fact]
    public async Task A_diagnosis_is_one_line_with_trace_id_outcome_and_counts_and_the_zone_text_stays_out()
    {
        var zone = $"$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n@ TXT \"{Secret}\"\n@ CAA 0 issue \"letsencrypt.org\"\n";
        var response = await Client().PostAsJsonAsync("/diagnose", new { zoneFile = zone, origin = "example.com", domains = new[] { "example.com" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = Assert.Single(_logs.Entries, e => e.Category == typeof(RequestLog).FullName && e.Message.StartsWith("POST /diagnose", StringComparison.Ordinal));
        Assert.Equal(200, line.Field("Status"));
        Assert.Equal("zone", line.Field("Source"));
        Assert.Equal("blocked:1", line.Field("Verdicts"));
        Assert.True((int)line.Field("RuleCount")! > 10);
        Assert.Equal(0, line.Field("QueryCount"));
        Assert.False(string.IsNullOrEmpty((string?)line.Field("TraceId")));
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(Secret, StringComparison.Ordinal) || e.State.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_api_keys_on_the_line_names_the_callers_key_and_never_holds_the_key()
    {
        const string Key = "a-key-that-must-never-be-logged-41c9";
        // Settings of the factory, so the contract the responses are checked against is the one served with keys on.
        using var factory = new ServiceFactory { Settings = new Dictionary<string, string> { ["Api:Keys:ci-pipeline"] = ApiKeys.Hash(Key) } };
        var client = factory.WithWebHostBuilder(host => host.ConfigureLogging(logging => logging.AddProvider(_logs))).CreateClient();
        using var valid = new HttpRequestMessage(HttpMethod.Post, "/diagnose") { Content = JsonContent.Create(new { fixture = "healthy" }) };
        valid.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/rules");
        wrong.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-" + Key);

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(valid)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrong)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        var lines = _logs.Entries.Where(e => e.Category == typeof(RequestLog).FullName).ToList();
        Assert.Equal("ci-pipeline", Assert.Single(lines, e => e.Message.StartsWith("POST /diagnose", StringComparison.Ordinal)).Field("ApiKey"));
        Assert.Equal("wrong", Assert.Single(lines, e => e.Message.StartsWith("GET /rules", StringComparison.Ordinal)).Field("ApiKey"));
        // Health probes carry no key and are not asked for one.
        Assert.Equal("-", Assert.Single(lines, e => e.Message.StartsWith("GET /health/live", StringComparison.Ordinal)).Field("ApiKey"));
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(Key, StringComparison.Ordinal) || e.State.Contains(Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_frameworks_own_lines_per_request_are_off_by_default_and_no_activity_is_started_for_them()
    {
        var activities = new ConcurrentQueue<Activity?>();
        var client = Client(services => services.AddSingleton<IStartupFilter>(new SeeActivity(activities)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/diagnose") { Content = JsonContent.Create(new { fixture = "healthy" }) };
        request.Headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/diagnose", new { fixture = "healthy" })).StatusCode);

        Assert.Equal([null, null], activities);
        Assert.DoesNotContain(_logs.Entries, e => e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) && e.Level < LogLevel.Warning);
        var lines = _logs.Entries.Where(e => e.Category == typeof(RequestLog).FullName).ToList();
        Assert.Equal(2, lines.Count);
        // Without an Activity the trace id is still the caller's when it sent a traceparent, else one made for the request.
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", lines[0].Field("TraceId"));
        Assert.Matches("^[0-9a-f]{32}$", (string)lines[1].Field("TraceId")!);
        Assert.NotEqual("4bf92f3577b34da6a3ce929d0e0e4736", lines[1].Field("TraceId"));
    }

    /// <summary>Notes the Activity each request arrives with, before any of the service's middleware.</summary>
    private sealed class SeeActivity(ConcurrentQueue<Activity?> seen) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, then) =>
            {
                seen.Enqueue(Activity.Current);
                return then(context);
            });
            next(app);
        };
    }

    [Fact]
    public async Task The_hosting_lines_come_back_when_configured()
    {
        using var factory = new ServiceFactory { Settings = new Dictionary<string, string> { [$"Logging:LogLevel:{ServiceSetup.HostingLogCategory}"] = "Information" } };
        var client = factory.WithWebHostBuilder(host => host.ConfigureLogging(logging => logging.AddProvider(_logs))).CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/diagnose", new { fixture = "healthy" })).StatusCode);

        // "Request starting", written before the request runs: "Request finished" may come after the client has the answer.
        Assert.Contains(_logs.Entries, e => e.Category == ServiceSetup.HostingLogCategory && e.Message.StartsWith("Request starting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rule_that_throws_is_logged_with_its_exception_in_the_requests_scope()
    {
        var client = Client(services => services.AddSingleton(new RuleCatalog(RuleCatalog.BuiltInRules().Append(new ThrowingRule()))));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/diagnose")
        {
            Content = JsonContent.Create(new { zoneFile = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n", origin = "example.com", domains = new[] { "example.com" } }),
        };
        request.Headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);

        var error = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("EXT999", StringComparison.Ordinal));
        Assert.IsType<InvalidOperationException>(error.Exception);
        // Its message names no request: the scope ties it to the request's trace id (what a 500's problem names) and path.
        Assert.Contains(new KeyValuePair<string, object?>("TraceId", "4bf92f3577b34da6a3ce929d0e0e4736"), error.Scopes);
        Assert.Contains(new KeyValuePair<string, object?>("RequestPath", "/diagnose"), error.Scopes);
    }

    private sealed class ThrowingRule : Rule
    {
        protected override string Id => "EXT999";

        protected override string Title => "A rule with a bug";

        protected override string Family => "EXT";

        protected override Severity DefaultSeverity => Severity.Warning;

        protected override string Summary => "Throws.";

        protected override IReadOnlyList<string> References => [];

        public override ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a bug in a plugin");
    }

    internal sealed record Entry(string Category, LogLevel Level, string Message, string State, IReadOnlyList<KeyValuePair<string, object?>> Fields, Exception? Exception,
        IReadOnlyList<KeyValuePair<string, object?>> Scopes)
    {
        public object? Field(string name) => Fields.FirstOrDefault(f => f.Key == name).Value;
    }

    /// <summary>Every entry, with the scopes it was logged in, as the console's JSON formatter with IncludeScopes reads them.</summary>
    private sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider? _scopes;

        public ConcurrentQueue<Entry> Queue { get; } = new();

        public IReadOnlyList<Entry> Entries => Queue.ToList();

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, CapturedLogs owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner._scopes?.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var fields = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
                var scopes = new List<KeyValuePair<string, object?>>();
                owner._scopes?.ForEachScope((scope, list) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        list.AddRange(pairs);
                    }
                }, scopes);
                owner.Queue.Enqueue(new Entry(category, logLevel, formatter(state, exception), string.Join(" ", fields.Select(f => $"{f.Key}={f.Value}")), fields, exception,
                    scopes));
            }
        }
    }
}
