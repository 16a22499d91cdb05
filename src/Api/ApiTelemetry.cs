using System.Diagnostics.Metrics;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RulesApi.Dns.Live;
using RulesApi.Rules.Runtime;

namespace RulesApi.Api;

/// <summary>
/// Where traces and metrics go (<c>OpenTelemetry</c> and <c>Api:Metrics</c> sections). The libraries only
/// speak System.Diagnostics (<see cref="RulesTelemetry"/>, <see cref="DnsTelemetry"/>); this is the one
/// place that chooses exporters: OTLP when an endpoint is configured, a Prometheus scrape at /metrics when
/// enabled, nothing otherwise (no listener is registered, so the spans and instruments cost next to nothing).
/// </summary>
public static class ApiTelemetry
{
    /// <summary>The Meter of the service itself (rate-limit rejections).</summary>
    public const string Name = "RulesApi.Api";

    /// <summary>Where the Prometheus scrape is served when <c>Api:Metrics:Enabled</c> is true.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The runtime's built-in meter (.NET 9 and later).</summary>
    public const string RuntimeMeter = "System.Runtime";

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Rejections = Meter.CreateCounter<long>("rulesapi.rate_limit.rejections", "{request}",
        "Requests refused before any work: 429 per client (limit=client), 503 when the diagnosis slots and queue are full (limit=live-slots, offline-slots or small-offline-slots)");

    public static void Rejected(string limit) => Rejections.Add(1, new KeyValuePair<string, object?>("limit", limit));

    /// <summary>True when a Prometheus scrape is to be served (<c>Api:Metrics:Enabled</c>).</summary>
    public static bool MetricsEnabled(IConfiguration configuration) => configuration.GetValue("Api:Metrics:Enabled", false);

    /// <summary>
    /// The OTLP endpoint: <c>OpenTelemetry:Otlp:Endpoint</c>, else the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; null
    /// when neither is set (nothing is exported over OTLP).
    /// </summary>
    public static string? OtlpEndpoint(IConfiguration configuration) =>
        configuration["OpenTelemetry:Otlp:Endpoint"] is { Length: > 0 } configured ? configured
        : configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 } standard ? standard
        : null;

    public static void AddTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var otlp = OtlpEndpoint(configuration);
        if (otlp is not null && !Uri.TryCreate(otlp, UriKind.Absolute, out _))
        {
            throw new InvalidOperationException($"OpenTelemetry:Otlp:Endpoint: '{otlp}' is not an absolute URI (e.g. http://collector:4317)");
        }

        var protocol = configuration["OpenTelemetry:Otlp:Protocol"] is { } named && named.Equals("http/protobuf", StringComparison.OrdinalIgnoreCase)
            ? OtlpExportProtocol.HttpProtobuf
            : OtlpExportProtocol.Grpc;
        // Over HTTP an endpoint set in code is used as given, so each signal gets its own path (/v1/traces,
        // /v1/metrics) after the configured base, as the OTEL_EXPORTER_OTLP_ENDPOINT convention has it.
        Action<OtlpExporterOptions> Otlp(string signal) => options =>
        {
            options.Protocol = protocol;
            options.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf
                ? new Uri(otlp!.TrimEnd('/') + "/v1/" + signal)
                : new Uri(otlp!);
        };

        // Only what something consumes is listened to: an ActivitySource or Meter with a listener does work on every
        // request (a span per rule family, a measurement per rule) even when no exporter ever reads it. The request's
        // trace id (RequestIds.cs) does not depend on them: without tracing no Activity is started for a request, and the
        // id is read from the caller's traceparent or made for it.
        var prometheus = MetricsEnabled(configuration);
        if (otlp is null && !prometheus)
        {
            return;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OpenTelemetry:ServiceName"] is { Length: > 0 } name ? name : "rulesapi"));
        if (otlp is not null)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(RulesTelemetry.Name, DnsTelemetry.Name)
                // The request span is the diagnosis span's parent; health checks and scrapes are not traced.
                .AddAspNetCoreInstrumentation(options => options.Filter = context =>
                    !context.Request.Path.StartsWithSegments(MetricsPath) && !context.Request.Path.StartsWithSegments("/healthz"))
                .AddOtlpExporter(Otlp("traces")));
        }

        telemetry.WithMetrics(metrics =>
        {
            // System.Runtime is .NET's own meter (GC heap and committed memory by generation, pauses, thread pool,
            // working set): what an operator, and bench/soak.sh, read to tell a leak from a heap that is still sizing itself.
            metrics.AddMeter(RulesTelemetry.Name, DnsTelemetry.Name, Name, RuntimeMeter)
                .AddAspNetCoreInstrumentation();
            if (otlp is not null)
            {
                metrics.AddOtlpExporter(Otlp("metrics"));
            }

            if (prometheus)
            {
                metrics.AddPrometheusExporter();
            }
        });
    }

    /// <summary>Serves the scrape at <see cref="MetricsPath"/> when enabled; outside the API contract (it is for the operator's Prometheus).</summary>
    public static void UseTelemetry(this WebApplication app)
    {
        if (MetricsEnabled(app.Configuration))
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath);
        }
    }
}
