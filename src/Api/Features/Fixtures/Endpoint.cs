using FastEndpoints;
using RulesApi.Fixtures;

namespace RulesApi.Api.Features.Fixtures;

public sealed record FixtureSummary(string Name, string Description, IReadOnlyList<string> Domains, IReadOnlyList<string> Zones, IReadOnlyList<string> Expect);

public sealed record FixtureList(IReadOnlyList<FixtureSummary> Fixtures);

/// <summary>GET /fixtures: the built-in offline scenarios, for POST /diagnose {"fixture": name}.</summary>
public sealed class Endpoint : EndpointWithoutRequest<FixtureList>
{
    public override void Configure()
    {
        Get("/fixtures");
        AllowAnonymous();
        Summary(summary => summary.Summary = "List the offline scenarios that POST /diagnose can run with \"fixture\"");
    }

    public override Task<FixtureList> ExecuteAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new FixtureList(FixtureScenario.BuiltIn.Values.OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => new FixtureSummary(s.Name, s.Metadata.Description, s.Metadata.Domains,
                s.Zones.Select(z => z.Apex.Text).ToList(), s.Metadata.Expect.Must))
            .ToList()));
}
