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

/// <summary>One message a rule reports: its id, its severity under the service's profile, and its text with {named} arguments.</summary>
public sealed record MessageSummary(string Id, Severity DefaultSeverity, Severity Severity, string Template);

/// <summary>One option of a rule: its default, its range, and its value under the service's profile.</summary>
public sealed record OptionSummary(string Name, double Default, double Minimum, double Maximum, double Value, string Description);

/// <summary>A rule with its messages, options and page (Markdown).</summary>
public sealed record RuleDetail(RuleSummary Rule, IReadOnlyList<MessageSummary> Messages, IReadOnlyList<OptionSummary> Options, string? Documentation)
{
    public static RuleDetail From(IRule rule, RuleProfile profile, string? documentation) => new(
        RuleSummary.From(rule, profile),
        rule.Metadata.Messages.Select(m => new MessageSummary(m.Id, m.Severity, profile.SeverityOf(rule.Metadata.Id, m.Id, m.Severity), m.Template)).ToList(),
        rule.Metadata.Options.Select(o => new OptionSummary(o.Name, o.Default, o.Minimum, o.Maximum, profile.OptionValue(rule.Metadata.Id, o), o.Description)).ToList(),
        documentation);
}

public sealed class RuleRequest
{
    public string Id { get; set; } = "";
}
