using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Runtime;

namespace RulesApi.Api.Tests;

/// <summary>Lines logged while a request runs carry its trace id in their scope, traced or not.</summary>
[Collection(ActivityListeners.Name)]
public sealed class RequestLogScopeTests : IDisposable
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private readonly ServiceFactory _factory = new();
    private readonly ScopedLogs _logs = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_rule_error_logged_during_a_request_can_be_tied_to_the_requests_trace_id_through_its_scope()
    {
        // The "Rule {RuleId} threw" line does not name the trace id in its message: with scopes on (JSON console,
        // IncludeScopes), the TraceId scope the logger factory adds from Activity.Current was what tied it to the request.
        var client = _factory.WithWebHostBuilder(host => host
            .ConfigureLogging(logging => logging.AddProvider(_logs))
            .ConfigureServices(services => services.AddSingleton(new RuleCatalog(RuleCatalog.BuiltInRules().Append(new ThrowingRule()))))).CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/diagnose")
        {
            Content = JsonContent.Create(new { zoneFile = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n", origin = "example.com", domains = new[] { "example.com" } }),
        };
        request.Headers.Add("traceparent", $"00-{TraceId}-00f067aa0ba902b7-01");

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);

        var error = Assert.Single(_logs.Queue, e => e.Level == LogLevel.Error && e.Message.Contains("EXT998", StringComparison.Ordinal));
        Assert.True(error.Scopes.Any(s => s.Key == "TraceId" && Equals(s.Value?.ToString(), TraceId)),
            $"scopes of the error line: [{string.Join(", ", error.Scopes.Select(s => $"{s.Key}={s.Value}"))}]");
    }

    private sealed class ThrowingRule : Rule
    {
        protected override string Id => "EXT998";

        protected override string Title => "A rule with a bug";

        protected override string Family => "EXT";

        protected override Severity DefaultSeverity => Severity.Warning;

        protected override string Summary => "Throws.";

        protected override IReadOnlyList<string> References => [];

        public override ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a bug in a plugin");
    }

    private sealed record Entry(string Category, LogLevel Level, string Message, List<KeyValuePair<string, object?>> Scopes);

    /// <summary>A provider that reads the scopes, as the console's JSON formatter with IncludeScopes does.</summary>
    private sealed class ScopedLogs : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider? _scopes;

        public ConcurrentQueue<Entry> Queue { get; } = new();

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ScopedLogs owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner._scopes?.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scopes = new List<KeyValuePair<string, object?>>();
                owner._scopes?.ForEachScope((scope, list) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        list.AddRange(pairs);
                    }
                }, scopes);
                owner.Queue.Enqueue(new Entry(category, logLevel, formatter(state, exception), scopes));
            }
        }
    }
}
