using FastEndpoints;
using RulesApi.Rules.Runtime;

namespace RulesApi.Api.Features.Rules;

/// <summary>GET /rules/{id}: one rule with its page.</summary>
public sealed class GetEndpoint : Endpoint<RuleRequest, RuleDetail>
{
    private readonly RuleCatalog _catalog;
    private readonly RuleProfile _profile;
    private readonly RuleDocs _docs;

    public GetEndpoint(RuleCatalog catalog, RuleProfile profile, RuleDocs docs)
    {
        _catalog = catalog;
        _profile = profile;
        _docs = docs;
    }

    public override void Configure()
    {
        Get("/rules/{id}");
        AllowAnonymous();
        Description(builder => builder.ProducesProblemDetails(404));
        Summary(summary => summary.Summary = "One rule, with its messages, options and documentation page");
    }

    public override async Task HandleAsync(RuleRequest request, CancellationToken cancellationToken)
    {
        if (_catalog.Find(request.Id) is not { } rule)
        {
            await Send.ResultAsync(Results.Problem(statusCode: 404, title: "No such rule",
                detail: $"There is no rule '{request.Id}'; GET /rules lists them."));
            return;
        }

        await Send.OkAsync(RuleDetail.From(rule, _profile, _docs.For(rule.Metadata.Id)), cancellationToken);
    }
}
