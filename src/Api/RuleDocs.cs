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

/// <summary>The problem types' pages (docs/problems/&lt;name&gt;.md), served at /problems/{name}.</summary>
public sealed class ProblemDocs
{
    private readonly string _folder = Path.Combine(AppContext.BaseDirectory, "problem-docs");

    public string? For(string name)
    {
        var path = Path.Combine(_folder, name + ".md");
        return name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') && File.Exists(path) ? File.ReadAllText(path) : null;
    }
}
