using FastEndpoints;
using RulesApi.Rules.Runtime;

namespace RulesApi.Api.Features.Health;

public sealed record HealthStatus(string Status, int Rules);

/// <summary>
/// GET /health/live, and GET /healthz for the probes written before it (operation id <c>health</c>): the process
/// is up and answers. It checks nothing else on purpose: a liveness probe that fails gets the process restarted,
/// which only helps when the process itself is stuck — never for a busy instance or a slow DNS server.
/// </summary>
public sealed class Endpoint : EndpointWithoutRequest<HealthStatus>
{
    private readonly RuleCatalog _catalog;

    public Endpoint(RuleCatalog catalog)
    {
        _catalog = catalog;
    }

    public override void Configure()
    {
        Get(HealthRoutes.Live, HealthRoutes.Legacy);
        AllowAnonymous();
        // Tagged by hand: the automatic tag comes from the first path segment, which would file /healthz under a tag of its own.
        DontAutoTag();
        Description(builder => builder.WithTags("Health"));
        Summary(summary => summary.Summary = "Liveness: the process is up and answers (GET /healthz is the same check under its older name)");
    }

    public override Task<HealthStatus> ExecuteAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new HealthStatus("ok", _catalog.Rules.Count));
}
