using FastEndpoints;
using RulesApi.Fixtures;
using RulesApi.Rules.Runtime;

namespace RulesApi.Api.Features.Health;

/// <summary>One thing readiness depends on, whether it holds, and what was seen.</summary>
public sealed record ReadinessCheck(string Name, bool Ok, string Detail);

/// <summary>Diagnosis slots of one kind in this instance: free now, and requests waiting for one.</summary>
public sealed record SlotUse(long Free, long Waiting);

/// <summary>Written <c>ready</c> and <c>not-ready</c>.</summary>
public enum ReadinessStatus
{
    Ready,
    NotReady,
}

/// <param name="OfflineSlots">Zone audits' slots (zone text above <c>Api:Limits:SmallZoneBytes</c>).</param>
/// <param name="SmallOfflineSlots">Fixture runs' and small zones' slots.</param>
public sealed record Readiness(ReadinessStatus Status, IReadOnlyList<ReadinessCheck> Checks, SlotUse LiveSlots, SlotUse OfflineSlots, SlotUse SmallOfflineSlots);

/// <summary>
/// GET /health/ready: whether this instance should be sent requests now — 200 when it should, 503 when not.
/// The service is stateless and depends on no database or downstream service a probe could ask, so readiness is
/// what this process holds: the rule catalog (with its profile and plugins) and the built-in fixture scenarios
/// loaded, and the host not shutting down (after SIGTERM the instance answers 503 here while its last requests
/// finish, so a load balancer that still polls takes it out). Busy diagnosis slots are reported, not judged: an
/// instance at its limits already answers 503 with Retry-After per request, and replicas that all turned
/// unready under a burst would take the whole service out of the load balancer at once. Live DNS and ACM are not
/// checked either: an outage there is a finding of each diagnosis, and no replica would be better off.
/// </summary>
public sealed class ReadyEndpoint : EndpointWithoutRequest<Readiness>
{
    private readonly RuleCatalog _catalog;
    private readonly ShutdownSignal _shutdown;
    private readonly DiagnosisGate _gate;

    public ReadyEndpoint(RuleCatalog catalog, ShutdownSignal shutdown, DiagnosisGate gate)
    {
        _catalog = catalog;
        _shutdown = shutdown;
        _gate = gate;
    }

    public override void Configure()
    {
        Get(HealthRoutes.Ready);
        AllowAnonymous();
        Summary(summary =>
        {
            summary.Summary = "Readiness: whether this instance should receive requests now (503 while it shuts down)";
            summary.Response<Readiness>(200, "Ready: the catalog and the fixture scenarios are loaded and the instance is not shutting down.");
            summary.Response<Readiness>(503, "Not ready: the checks say which failed. Busy diagnosis slots never make an instance unready; they are reported.");
        });
    }

    public override async Task HandleAsync(CancellationToken cancellationToken)
    {
        var stopping = _shutdown.Stopping;
        var scenarios = FixtureScenario.BuiltIn.Count;
        var checks = new List<ReadinessCheck>
        {
            new("catalog", _catalog.Rules.Count > 0, $"{_catalog.Rules.Count} rules loaded"),
            new("fixtures", scenarios > 0, $"{scenarios} built-in scenarios loaded"),
            new("not-stopping", !stopping, stopping ? "the host is shutting down" : "the host is running"),
        };
        var ready = checks.TrueForAll(c => c.Ok);
        SlotUse Use(DiagnosisSlots kind)
        {
            var (free, waiting) = _gate.Slots(kind);
            return new SlotUse(free, waiting);
        }

        await Send.ResponseAsync(new Readiness(ready ? ReadinessStatus.Ready : ReadinessStatus.NotReady, checks, Use(DiagnosisSlots.Live), Use(DiagnosisSlots.Offline), Use(DiagnosisSlots.SmallOffline)),
            ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, cancellationToken);
    }
}
