using FastEndpoints;
using RulesApi.Rules.Runtime;

namespace RulesApi.Api.Features.Rules;

/// <summary>GET /rules: the catalog, built-in rules and those from rule assemblies.</summary>
public sealed class ListEndpoint : EndpointWithoutRequest<RuleList>
{
    private readonly RuleCatalog _catalog;
    private readonly RuleProfile _profile;

    public ListEndpoint(RuleCatalog catalog, RuleProfile profile)
    {
        _catalog = catalog;
        _profile = profile;
    }

    public override void Configure()
    {
        Get("/rules");
        AllowAnonymous();
        Summary(summary => summary.Summary = "List every rule the service runs");
    }

    public override Task<RuleList> ExecuteAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new RuleList(_catalog.Rules.Select(rule => RuleSummary.From(rule, _profile)).ToList()));
}
