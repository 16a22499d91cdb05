namespace RulesApi.Api;

/// <summary>The rule pages (docs/rules/&lt;ID&gt;.md), copied beside the service at build time.</summary>
public sealed class RuleDocs
{
    private readonly string _folder = Path.Combine(AppContext.BaseDirectory, "rules-docs");

    public string? For(string ruleId)
    {
        var path = Path.Combine(_folder, ruleId.ToUpperInvariant() + ".md");
        return ruleId.All(char.IsAsciiLetterOrDigit) && File.Exists(path) ? File.ReadAllText(path) : null;
    }
}
