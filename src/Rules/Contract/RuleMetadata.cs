namespace RulesApi.Rules.Contract;

/// <summary>What the catalog says about a rule: its stable ID, family, default severity and sources.</summary>
public sealed record RuleMetadata(
    string Id,
    string Title,
    string Family,
    Severity DefaultSeverity,
    string Summary,
    IReadOnlyList<string> References)
{
    /// <summary>Where the rule's page is served; derived from the ID in one place.</summary>
    public string HelpUri => "/rules/" + Id;
}
