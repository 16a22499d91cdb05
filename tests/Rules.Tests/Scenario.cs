using System.Text.Json;
using RulesApi.Dns.Names;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Tests;

/// <summary>
/// A scenario zone from <c>Scenarios/&lt;RULE&gt;/</c>: <c>triggers-*.zone</c> must produce the rule,
/// <c>quiet-*.zone</c> must not. Header comments name the domains, validation records and certificate
/// (see <see cref="RequestOf"/>); without names the zone is audited. The origin is always example.com.
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
        // The clock stands still inside the validity of the signed scenario zones (2026-01-01 to 2036-12-31).
        return await Diagnosers.Create(catalog, profile).RunAsync(RequestOf(text), CancellationToken.None);
    }

    /// <summary>
    /// Reads the header comments: <c>; names: a, b</c>, <c>; validation: NAME VALUE</c> (repeatable),
    /// <c>; certificate: FILE.json</c> (beside the zone), <c>; provider: cloudflare</c> and <c>; ds: 12345 13 2 ABCD…</c>
    /// (the parent's DS, repeatable).
    /// </summary>
    private DiagnosisRequest RequestOf(string text)
    {
        var header = text.Split('\n').TakeWhile(line => line.StartsWith(';')).ToList();
        string? Value(string key) => header.Select(line => line.TrimEnd('\r')).FirstOrDefault(line => line.StartsWith($"; {key}:", StringComparison.Ordinal))?[(key.Length + 3)..].Trim();

        var names = (Value("names") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(n => DnsName.Parse(n + ".")).ToList();
        var given = header.Where(line => line.StartsWith("; validation:", StringComparison.Ordinal))
            .Select(line => line["; validation:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(parts => new GivenValidation(DnsName.Parse(parts[0]), DnsName.Parse(parts[1])))
            .ToList();
        AcmCertificate? certificate = null;
        if (Value("certificate") is { } file)
        {
            var errors = new List<KeyValuePair<string, string>>();
            using var json = JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(Folder, RuleId, file)));
            certificate = AcmCertificate.Parse(json.RootElement, "certificate", errors)
                ?? throw new InvalidOperationException(string.Join("; ", errors.Select(e => $"{e.Key} {e.Value}")));
        }

        DnsProvider? provider = DnsProviders.TryParse(Value("provider"), out var p) ? p : null;
        var ds = header.Where(line => line.StartsWith("; ds:", StringComparison.Ordinal))
            .Select(line => Dns.Records.DsData.TryParse(line["; ds:".Length..], out var data, out var error) ? data : throw new InvalidOperationException($"{File}: {error}"))
            .ToList();
        return new DiagnosisRequest(DiagnosisInput.ZoneText.FromString(text, Origin))
        {
            Names = names,
            ValidationRecords = given,
            Certificate = certificate,
            Provider = provider,
            ParentDs = ds,
        };
    }

    public override string ToString() => $"{RuleId}/{File}";
}
