using System.Text.Json;
using System.Text.Json.Serialization;
using RulesApi.Rules.Contract;

namespace RulesApi.Rules.Runtime;

/// <summary>One rule's settings in a profile.</summary>
public sealed record RuleSettings
{
    public bool Enabled { get; init; } = true;

    public Severity? Severity { get; init; }

    public IReadOnlyDictionary<string, double> Thresholds { get; init; } = new Dictionary<string, double>();
}

/// <summary>
/// Which rules run, at which severity, with which thresholds — data, not code (as Zonemaster's
/// profiles). Rules not named keep their defaults. Read from JSON:
/// <c>{"rules": {"CAA011": {"enabled": false}, "CAA004": {"severity": "error"}}}</c>.
/// </summary>
public sealed record RuleProfile
{
    public static readonly RuleProfile Default = new();

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public IReadOnlyDictionary<string, RuleSettings> Rules { get; init; } = new Dictionary<string, RuleSettings>();

    public RuleSettings For(string ruleId) =>
        Rules.TryGetValue(ruleId, out var settings) ? settings : new RuleSettings();

    public bool IsEnabled(string ruleId) => For(ruleId).Enabled;

    public Severity SeverityOf(RuleMetadata rule) => For(rule.Id).Severity ?? rule.DefaultSeverity;

    public double Threshold(string ruleId, string key, double fallback) =>
        For(ruleId).Thresholds.TryGetValue(key, out var value) ? value : fallback;

    /// <summary>Reads a profile; throws <see cref="JsonException"/> with the position of a mistake.</summary>
    public static RuleProfile Parse(string json) =>
        JsonSerializer.Deserialize<RuleProfile>(json, JsonOptions) ?? Default;

    public static RuleProfile Load(string path) => Parse(File.ReadAllText(path));
}
