using FastEndpoints;
using RulesApi.Rules.Runtime;

namespace RulesApi.Api.Features.Health;

public sealed record HealthStatus(string Status, int Rules);

/// <summary>GET /healthz: the service is up and its catalog loaded.</summary>
public sealed class Endpoint : EndpointWithoutRequest<HealthStatus>
{
    private readonly RuleCatalog _catalog;

    public Endpoint(RuleCatalog catalog)
    {
        _catalog = catalog;
    }

    public override void Configure()
    {
        Get("/healthz");
        AllowAnonymous();
    }

    public override Task<HealthStatus> ExecuteAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new HealthStatus("ok", _catalog.Rules.Count));
}
