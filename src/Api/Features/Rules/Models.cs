using RulesApi.Rules.Contract;
using RulesApi.Rules.Runtime;

namespace RulesApi.Api.Features.Rules;

/// <summary>One rule of the catalog, with its severity under the service's profile.</summary>
public sealed record RuleSummary(string Id, string Title, string Family, Severity DefaultSeverity, Severity Severity, bool Enabled,
    string Summary, IReadOnlyList<string> References, string HelpUri)
{
    public static RuleSummary From(IRule rule, RuleProfile profile) => new(
        rule.Metadata.Id, rule.Metadata.Title, rule.Metadata.Family, rule.Metadata.DefaultSeverity, profile.SeverityOf(rule.Metadata),
        profile.IsEnabled(rule.Metadata.Id), rule.Metadata.Summary, rule.Metadata.References, rule.Metadata.HelpUri);
}

public sealed record RuleList(IReadOnlyList<RuleSummary> Rules);

/// <summary>A rule with its page (Markdown).</summary>
public sealed record RuleDetail(RuleSummary Rule, string? Documentation);

public sealed class RuleRequest
{
    public string Id { get; set; } = "";
}
