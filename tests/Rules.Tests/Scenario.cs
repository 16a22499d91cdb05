using RulesApi.Dns.Names;
using RulesApi.Rules.Engine;

namespace RulesApi.Rules.Tests;

/// <summary>
/// A scenario zone from <c>Scenarios/&lt;RULE&gt;/</c>: <c>triggers-*.zone</c> must produce the rule,
/// <c>quiet-*.zone</c> must not. A first line <c>; names: a, b</c> names the domains to diagnose;
/// without it the zone is audited. The origin is always example.com.
/// </summary>
public sealed record Scenario(string RuleId, string File, bool Triggers)
{
    public static readonly DnsName Origin = DnsName.Parse("example.com.");

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Scenarios");

    public static IEnumerable<Scenario> All() =>
        Directory.GetDirectories(Folder).Order(StringComparer.Ordinal).SelectMany(dir =>
            Directory.GetFiles(dir, "*.zone").Order(StringComparer.Ordinal).Select(file =>
                new Scenario(Path.GetFileName(dir), Path.GetFileName(file), Path.GetFileName(file).StartsWith("triggers-", StringComparison.Ordinal))));

    public string Path_ => Path.Combine(Folder, RuleId, File);

    public async Task<DiagnosisReport> RunAsync(RuleCatalog? catalog = null, RuleProfile? profile = null)
    {
        var text = await System.IO.File.ReadAllTextAsync(Path_);
        var firstLine = text.Split('\n')[0];
        var names = firstLine.StartsWith("; names:", StringComparison.Ordinal)
            ? firstLine["; names:".Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(n => DnsName.Parse(n + ".")).ToList()
            : [];
        var diagnosis = new ZoneDiagnosis(new RuleEngine(catalog ?? new RuleCatalog(RuleCatalog.BuiltInRules())));
        var report = await diagnosis.RunAsync(text, Origin, names, profile ?? RuleProfile.Default, TimeSpan.FromSeconds(10), CancellationToken.None);
        return report ?? throw new InvalidOperationException($"{File}: no origin");
    }

    public override string ToString() => $"{RuleId}/{File}";
}
