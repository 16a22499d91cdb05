using System.Globalization;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using RulesApi.Api.Features.Health;
using RulesApi.Rules.Diagnosis;

namespace RulesApi.Api;

/// <summary>
/// How much one client, and the service as a whole, may ask (<c>Api:Limits</c>). Live diagnoses send
/// queries to the world and are limited apart from zone audits and fixture runs, which only use CPU.
/// </summary>
public sealed class ClientLimitOptions
{
    /// <summary>Requests one client may make per minute (<c>Api:Limits:RequestsPerMinute</c>); health checks are not counted.</summary>
    public int RequestsPerMinute { get; set; } = 120;

    /// <summary>
    /// A header naming the caller's API key (<c>Api:Limits:ApiKeyHeader</c>, e.g. <c>X-Api-Key</c>): when set, a
    /// request carrying it is counted per key instead of per address. Set it only when something in front
    /// of the service checks the keys, or a client can mint a fresh allowance with every request. Ignored when
    /// the service checks keys itself (<c>Api:Keys</c>): then the valid key is what is counted.
    /// </summary>
    public string? ApiKeyHeader { get; set; }

    /// <summary>Live diagnoses running at once in this process (<c>Api:Limits:LiveConcurrency</c>).</summary>
    public int LiveConcurrency { get; set; } = 8;

    /// <summary>Live diagnoses that may wait for a slot (<c>Api:Limits:LiveQueue</c>); beyond it, 503.</summary>
    public int LiveQueue { get; set; } = 8;

    /// <summary>Zone audits running at once (<c>Api:Limits:OfflineConcurrency</c>), beyond the small diagnoses' own slots.</summary>
    public int OfflineConcurrency { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Offline diagnoses that may wait for a slot, large and small each (<c>Api:Limits:OfflineQueue</c>); beyond it, 503.</summary>
    public int OfflineQueue { get; set; } = 16;

    /// <summary>
    /// Small offline diagnoses running at once (<c>Api:Limits:SmallOfflineConcurrency</c>): fixture runs, and zone text of
    /// at most <see cref="SmallZoneBytes"/>. Each takes well under a millisecond of CPU and little memory, so they have
    /// slots of their own: a few large audits never hold them up, and they are not queued behind each other for want of
    /// slots sized for audits (with one slot per core, small diagnoses under load waited on the queue, and the wait
    /// cost more than the diagnosis).
    /// </summary>
    public int SmallOfflineConcurrency { get; set; } = 64;

    /// <summary>Zone text up to this many bytes is a small diagnosis (<c>Api:Limits:SmallZoneBytes</c>; 64 KiB, some 1,500 records).</summary>
    public long SmallZoneBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The longest a diagnosis waits in the queue for a slot (<c>Api:Limits:QueueWaitSeconds</c>); then 503. The wait
    /// counts against the diagnosis's deadline, so a request is answered within its deadline however long it queued;
    /// a wait as long as the deadline itself would leave the diagnosis nothing, so it is cut to half the deadline.
    /// </summary>
    public double QueueWaitSeconds { get; set; } = 3;

    /// <summary>The Retry-After, in seconds, of a 503 when the diagnoses are all busy (<c>Api:Limits:BusyRetryAfterSeconds</c>).</summary>
    public int BusyRetryAfterSeconds { get; set; } = 5;

    /// <summary>How long one request may take in all, body upload included (<c>Api:Limits:RequestTimeoutSeconds</c>); then 504.</summary>
    public double RequestTimeoutSeconds { get; set; } = 60;

    public IEnumerable<string> Problems()
    {
        foreach (var (name, value) in new[]
        {
            (nameof(RequestsPerMinute), (double)RequestsPerMinute), (nameof(LiveConcurrency), LiveConcurrency), (nameof(OfflineConcurrency), OfflineConcurrency),
            (nameof(SmallOfflineConcurrency), SmallOfflineConcurrency), (nameof(SmallZoneBytes), SmallZoneBytes),
            (nameof(BusyRetryAfterSeconds), BusyRetryAfterSeconds), (nameof(RequestTimeoutSeconds), RequestTimeoutSeconds), (nameof(QueueWaitSeconds), QueueWaitSeconds),
        })
        {
            if (!(value > 0))
            {
                yield return $"Api:Limits:{name} must be positive, not {value.ToString(CultureInfo.InvariantCulture)}";
            }
        }

        if (LiveQueue < 0 || OfflineQueue < 0)
        {
            yield return "Api:Limits:LiveQueue and Api:Limits:OfflineQueue must not be negative";
        }
    }
}

/// <summary>The kinds of diagnosis that have slots of their own.</summary>
public enum DiagnosisSlots
{
    /// <summary>Against live DNS: queries to the world.</summary>
    Live,

    /// <summary>Zone text above the small size: CPU and memory by the megabyte.</summary>
    Offline,

    /// <summary>A fixture run, or zone text of at most <see cref="ClientLimitOptions.SmallZoneBytes"/>.</summary>
    SmallOffline,
}

/// <summary>
/// Admission of diagnoses: a concurrency limit with a short queue for each kind (<see cref="DiagnosisSlots"/>): live
/// diagnoses, zone audits, and small offline diagnoses. A request that finds its kind's slots and queue full is refused
/// at once (503), never left to pile up.
/// </summary>
public sealed class DiagnosisGate : IDisposable
{
    private readonly ConcurrencyLimiter _live;
    private readonly ConcurrencyLimiter _offline;
    private readonly ConcurrencyLimiter _smallOffline;
    private readonly long _smallZoneBytes;

    public DiagnosisGate(IOptions<ClientLimitOptions> options)
    {
        var limits = options.Value;
        _live = Limiter(limits.LiveConcurrency, limits.LiveQueue);
        _offline = Limiter(limits.OfflineConcurrency, limits.OfflineQueue);
        // Never fewer than the audits' slots: a deployment that raised OfflineConcurrency for its fixture runs and small zones
        // (which used those slots before they had their own) keeps at least as many for them.
        _smallOffline = Limiter(Math.Max(limits.SmallOfflineConcurrency, limits.OfflineConcurrency), limits.OfflineQueue);
        _smallZoneBytes = limits.SmallZoneBytes;
        RetryAfter = TimeSpan.FromSeconds(limits.BusyRetryAfterSeconds);
        _queueWait = TimeSpan.FromSeconds(limits.QueueWaitSeconds);
    }

    private static ConcurrencyLimiter Limiter(int slots, int queue) => new(new ConcurrencyLimiterOptions
    {
        PermitLimit = slots,
        QueueLimit = queue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    private readonly TimeSpan _queueWait;

    public TimeSpan RetryAfter { get; }

    /// <summary>The slots a request's diagnosis takes: by its input, and for zone text by its size in UTF-8 bytes (text read from elsewhere counts as large).</summary>
    public DiagnosisSlots SlotsFor(DiagnosisRequest request) => request.Input switch
    {
        DiagnosisInput.Live => DiagnosisSlots.Live,
        DiagnosisInput.Fixture => DiagnosisSlots.SmallOffline,
        DiagnosisInput.ZoneText { Bytes.Length: var bytes } when bytes <= _smallZoneBytes => DiagnosisSlots.SmallOffline,
        DiagnosisInput.ZoneText { Bytes: null, Text: { } text } when text.Length <= _smallZoneBytes && Encoding.UTF8.GetByteCount(text) <= _smallZoneBytes =>
            DiagnosisSlots.SmallOffline,
        _ => DiagnosisSlots.Offline,
    };

    /// <summary>
    /// A slot of the given kind for one diagnosis whose whole deadline is <paramref name="deadline"/>, of which <paramref name="spent"/>
    /// is gone already; <see cref="RateLimitLease.IsAcquired"/> is false when the service is too busy: the queue is
    /// full, or no slot came free within the queue wait (at most half of what is left of the deadline).
    /// </summary>
    public async ValueTask<RateLimitLease> EnterAsync(DiagnosisSlots kind, TimeSpan deadline, TimeSpan spent, CancellationToken cancellationToken)
    {
        var limiter = Limiter(kind);
        var immediate = limiter.AttemptAcquire(1);
        if (immediate.IsAcquired)
        {
            return immediate;
        }

        immediate.Dispose();
        var wait = TimeSpan.FromTicks(Math.Min(_queueWait.Ticks, (deadline - spent).Ticks / 2));
        if (wait <= TimeSpan.Zero)
        {
            return Refused.Instance;
        }

        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        waiting.CancelAfter(wait);
        try
        {
            return await limiter.AcquireAsync(1, waiting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Waited as long as the deadline allows: busy, the same answer as a full queue.
            return Refused.Instance;
        }
    }

    private ConcurrencyLimiter Limiter(DiagnosisSlots kind) => kind switch
    {
        DiagnosisSlots.Live => _live,
        DiagnosisSlots.SmallOffline => _smallOffline,
        _ => _offline,
    };

    /// <summary>No slot.</summary>
    private sealed class Refused : RateLimitLease
    {
        public static readonly Refused Instance = new();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }

    /// <summary>Slots of one kind free now, and requests waiting for one (what readiness reports).</summary>
    public (long Free, long Waiting) Slots(DiagnosisSlots kind)
    {
        var statistics = Limiter(kind).GetStatistics();
        return (statistics?.CurrentAvailablePermits ?? 0, statistics?.CurrentQueuedCount ?? 0);
    }

    public void Dispose()
    {
        _live.Dispose();
        _offline.Dispose();
        _smallOffline.Dispose();
    }
}

/// <summary>The per-client rate limit, the diagnosis gate and request timeouts, wired into the host.</summary>
public static class ClientLimits
{
    public static void AddClientLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClientLimitOptions>()
            .Bind(builder.Configuration.GetSection("Api:Limits"))
            .Validate(options => !options.Problems().Any(), "Api:Limits: every limit must be positive (queues may be 0)")
            .ValidateOnStart();
        builder.Services.AddSingleton<DiagnosisGate>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<ClientLimitOptions>, ApiKeys>((rate, options, keys) =>
        {
            var limits = options.Value;
            // One window per client, every client's made by one factory made here: a factory per request (the closure the
            // framework's own helper makes around the options) was garbage on every request. The partitioned limiter
            // replenishes its windows itself, so each window's own timer is off.
            Func<ClientKey, RateLimiter> window = _ => new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
            {
                PermitLimit = limits.RequestsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
                AutoReplenishment = false,
            });
            rate.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, ClientKey>(context =>
                HealthRoutes.Matches(context.Request.Path) || context.Request.Path.StartsWithSegments(ApiTelemetry.MetricsPath)
                    ? RateLimitPartition.GetNoLimiter(ClientKey.Health)
                    : RateLimitPartition.Get(ClientKeyOf(context, limits, keys), window));
            rate.OnRejected = (rejected, cancellationToken) =>
            {
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
                return TooMany(rejected.HttpContext, wait, limits.RequestsPerMinute);
            };
        });
        builder.Services.AddRequestTimeouts();
        builder.Services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<ClientLimitOptions>>((timeouts, options) =>
            timeouts.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = TimeSpan.FromSeconds(options.Value.RequestTimeoutSeconds),
                TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
            });
    }

    public static void UseClientLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        app.UseRequestTimeouts();
    }

    /// <summary>
    /// Who is counted: with <c>Api:Keys</c> on, the valid key's name (a missing or made-up key is counted against the
    /// address, so inventing keys buys no allowance); else the gateway-checked key of <c>ApiKeyHeader</c> when set and
    /// sent; else the client's address (the proxy's, unless forwarded headers are enabled).
    /// </summary>
    private static ClientKey ClientKeyOf(HttpContext context, ClientLimitOptions limits, ApiKeys keys)
    {
        if (keys.Enabled)
        {
            return keys.Check(context) is { Outcome: ApiKeyOutcome.Valid, Name: { } name } ? new ClientKey("api-key", name, null) : Address(context);
        }

        return limits.ApiKeyHeader is { Length: > 0 } header && context.Request.Headers[header] is [{ Length: > 0 } key, ..]
            ? new ClientKey("key", key, null)
            : Address(context);
    }

    private static ClientKey Address(HttpContext context) => new("ip", null, context.Connection.RemoteIpAddress);

    /// <summary>
    /// Whom a window counts: a kind ("api-key", "key", "ip") with the key's name or the address. The address itself, not
    /// its text: written out, it was two strings on every request.
    /// </summary>
    private readonly record struct ClientKey(string Kind, string? Name, System.Net.IPAddress? Address)
    {
        public static readonly ClientKey Health = new("health", null, null);
    }

    private static async ValueTask TooMany(HttpContext context, TimeSpan wait, int perMinute)
    {
        ApiTelemetry.Rejected("client");
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            detail: $"This client may make {perMinute} requests a minute (Api:Limits:RequestsPerMinute); try again in {seconds} s.").ExecuteAsync(context);
    }

    /// <summary>503 with Retry-After: every diagnosis slot and its queue are taken.</summary>
    /// <remarks>Returned as a result for the endpoint to send, so the framework knows the response was sent.</remarks>
    public static IResult Busy(HttpContext context, TimeSpan retryAfter, DiagnosisSlots kind)
    {
        var (limit, what) = kind switch
        {
            DiagnosisSlots.Live => ("live-slots", "live diagnosis"),
            DiagnosisSlots.SmallOffline => ("small-offline-slots", "fixture run and small zone"),
            _ => ("offline-slots", "zone audit"),
        };
        ApiTelemetry.Rejected(limit);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The service is busy",
            detail: $"Every {what} slot of this instance is taken and its queue is full; try again in {seconds} s.");
    }
}
