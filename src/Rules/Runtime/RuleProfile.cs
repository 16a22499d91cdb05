using System.Text.Json;
using System.Text.Json.Serialization;
using RulesApi.Rules.Contract;

namespace RulesApi.Rules.Runtime;

/// <summary>One message's settings in a profile.</summary>
public sealed record MessageSettings
{
    public Severity? Severity { get; init; }
}

// The settings are read through constructors whose parameters have the defaults, not through property initializers:
// the compile-time description of JSON (RuleProfileJsonContext) sets every init-only property, a missing one to its
// type's default (a rule would have been disabled by leaving "enabled" out), but keeps a parameter's default.

/// <summary>A CA a profile defines: its name as messages say it, and the CAA identities that authorise it.</summary>
[method: JsonConstructor]
public sealed record CaSettings(string? Name = null, IReadOnlyList<string>? Identities = null)
{
    public IReadOnlyList<string> Identities { get; init; } = Identities ?? [];
}

/// <summary>One rule's settings in a profile.</summary>
public sealed record RuleSettings
{
    [JsonConstructor]
    public RuleSettings(bool enabled = true, Severity? severity = null, IReadOnlyDictionary<string, MessageSettings>? messages = null,
        IReadOnlyDictionary<string, double>? thresholds = null)
    {
        Enabled = enabled;
        Severity = severity;
        Messages = messages ?? new Dictionary<string, MessageSettings>(StringComparer.OrdinalIgnoreCase);
        Thresholds = thresholds ?? new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
    }

    public bool Enabled { get; init; }

    /// <summary>The severity of every message of the rule, unless a message has its own below.</summary>
    public Severity? Severity { get; init; }

    /// <summary>Severities per message id (<c>{"NS001": {"messages": {"overlapping": {"severity": "notice"}}}}</c>).</summary>
    public IReadOnlyDictionary<string, MessageSettings> Messages { get; init; }

    /// <summary>Values of the rule's options (<see cref="RuleMetadata.Options"/>), by name.</summary>
    public IReadOnlyDictionary<string, double> Thresholds { get; init; }
}

/// <summary>
/// Which rules run, at which severity, with which thresholds — data, not code (as Zonemaster's
/// profiles). Rules not named keep their defaults. Read from JSON:
/// <c>{"rules": {"CAA011": {"enabled": false}, "CAA004": {"severity": "error"}, "TTL001": {"thresholds": {"maxTtl": 86400}}}}</c>.
/// Rule ids, message ids and option names match without regard to case; <see cref="Problems"/> names
/// what the catalog does not know.
/// </summary>
public sealed record RuleProfile
{
    public static readonly RuleProfile Default = new();

    /// <summary>How a profile is read: its types described at compile time (<see cref="RuleProfileJsonContext"/>), as the command line compiled ahead of time needs.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = RuleProfileJsonContext.Default,
        Converters = { new JsonStringEnumConverter<Severity>(JsonNamingPolicy.KebabCaseLower) },
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        // A misspelt setting ("severty") must be an error, not a silently ignored line.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // As must a setting given twice: the last copy would win, and the first be dropped without a word.
        AllowDuplicateProperties = false,
    };

    [JsonConstructor]
    public RuleProfile(IReadOnlyDictionary<string, RuleSettings>? rules = null, IReadOnlyDictionary<string, CaSettings>? cas = null)
    {
        Rules = rules ?? new Dictionary<string, RuleSettings>();
        Cas = Once(cas ?? new Dictionary<string, CaSettings>(), "cas", "CA ids");
    }

    private readonly IReadOnlyDictionary<string, RuleSettings> _rules = null!;

    public IReadOnlyDictionary<string, RuleSettings> Rules
    {
        get => _rules;
        init => _rules = Once(value, "rules", "rule ids").ToDictionary(pair => pair.Key, pair => Normalise(pair.Key, pair.Value), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>CAs of the profile's own, by id (<c>{"cas": {"internal": {"name": "Our CA", "identities": ["ca.example.net"]}}}</c>).</summary>
    public IReadOnlyDictionary<string, CaSettings> Cas { get; init; }

    /// <summary>The profile's CAs as the Diagnoser looks them up.</summary>
    [JsonIgnore]
    public IReadOnlyList<Facts.CertificateAuthority> CertificateAuthorities =>
        Cas.Select(pair => new Facts.CertificateAuthority(pair.Key, pair.Value.Name ?? pair.Key, pair.Value.Identities)).ToList();

    public RuleSettings For(string ruleId) =>
        Rules.TryGetValue(ruleId, out var settings) ? settings : Unset;

    /// <summary>A rule's settings when the profile does not name it (shared: asked for per rule and per finding).</summary>
    private static readonly RuleSettings Unset = new();

    public bool IsEnabled(string ruleId) => For(ruleId).Enabled;

    public Severity SeverityOf(RuleMetadata rule) => For(rule.Id).Severity ?? rule.DefaultSeverity;

    /// <summary>The severity a finding gets: its message's in the profile, else the rule's in the profile, else the finding's own.</summary>
    public Severity SeverityOf(string ruleId, string messageId, Severity own)
    {
        var settings = For(ruleId);
        return settings.Messages.TryGetValue(messageId, out var message) && message.Severity is { } forced ? forced : settings.Severity ?? own;
    }

    /// <summary>The profile's value of a rule's option, or the option's default.</summary>
    public double OptionValue(string ruleId, RuleOption option) =>
        For(ruleId).Thresholds.TryGetValue(option.Name, out var value) ? value : option.Default;

    /// <summary>
    /// What this profile says that the catalog does not know: a rule, a message or an option that does
    /// not exist, or a value outside an option's range. A service or command line refuses such a profile.
    /// </summary>
    public IReadOnlyList<string> Problems(RuleCatalog catalog)
    {
        var problems = new List<string>();
        foreach (var (id, ca) in Cas)
        {
            if (ca.Identities.Count == 0 || ca.Identities.Any(identity => !Dns.Names.DnsName.TryParse(identity + ".", out _, out _) || identity.EndsWith('.')))
            {
                problems.Add($"cas.{id}.identities: give the CA's CAA issuer domain names, without a final dot (e.g. [\"letsencrypt.org\"])");
            }
        }

        foreach (var (id, settings) in Rules.OrderBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (catalog.Find(id) is not { } rule)
            {
                problems.Add($"rules.{id}: there is no rule {id}{Nearest(id, catalog.Rules.Select(r => r.Metadata.Id))}");
                continue;
            }

            var metadata = rule.Metadata;
            foreach (var message in settings.Messages.Keys.Where(message => metadata.Message(message) is null))
            {
                var known = metadata.Messages.Select(m => m.Id).ToList();
                problems.Add($"rules.{id}.messages.{message}: {metadata.Id} has no message '{message}'" +
                    (known.Count > 0 ? $" (its messages: {string.Join(", ", known)})" : $" (it reports one message, '{RuleMessages.Default}')"));
            }

            foreach (var (name, value) in settings.Thresholds)
            {
                if (metadata.Option(name) is not { } option)
                {
                    var known = metadata.Options.Select(o => o.Name).ToList();
                    problems.Add($"rules.{id}.thresholds.{name}: {metadata.Id} has no option '{name}'" +
                        (known.Count > 0 ? $" (its options: {string.Join(", ", known)})" : " (it has no options)"));
                }
                else if (!option.Allows(value))
                {
                    problems.Add($"rules.{id}.thresholds.{name}: {value} is outside {option.Minimum}–{option.Maximum}");
                }
            }
        }

        return problems;
    }

    /// <summary>The rules of the family the unknown id names (its letters), to point at the likely one.</summary>
    private static string Nearest(string id, IEnumerable<string> known)
    {
        var family = new string(id.TakeWhile(char.IsLetter).ToArray());
        var same = known.Where(k => family.Length > 0 && k.StartsWith(family, StringComparison.OrdinalIgnoreCase)).ToList();
        return same.Count > 0 ? $" (the {family.ToUpperInvariant()} rules are {string.Join(", ", same)})" : "";
    }

    private static RuleSettings Normalise(string ruleId, RuleSettings settings) => settings with
    {
        Messages = Once(settings.Messages, $"rules.{ruleId}.messages", "message ids"),
        Thresholds = Once(settings.Thresholds, $"rules.{ruleId}.thresholds", "option names"),
    };

    /// <summary>
    /// The entries keyed without regard to case, as they are looked up; an entry given twice (in the same or other letters)
    /// or null where settings go is a mistake in the profile, said as the reader says one (a JSON error), rather than an
    /// ArgumentException or a NullReferenceException at the first diagnosis.
    /// </summary>
    private static Dictionary<string, T> Once<T>(IReadOnlyDictionary<string, T> entries, string path, string what)
    {
        var once = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in entries)
        {
            if (value is null)
            {
                throw new JsonException($"{path}.{key} is null: give its settings as an object, or leave it out.");
            }

            if (!once.TryAdd(key, value))
            {
                throw new JsonException($"{path}: '{key}' is given more than once ({what} match without regard to case).");
            }
        }

        return once;
    }

    /// <summary>Reads a profile; throws <see cref="JsonException"/> with the position of a mistake.</summary>
    public static RuleProfile Parse(string json) =>
        JsonSerializer.Deserialize(json, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<RuleProfile>)JsonOptions.GetTypeInfo(typeof(RuleProfile))) ?? Default;

    /// <summary>Reads a profile and checks it against the catalog; throws <see cref="InvalidDataException"/> naming every problem.</summary>
    public static RuleProfile Parse(string json, RuleCatalog catalog)
    {
        var profile = Parse(json);
        return profile.Problems(catalog) is { Count: > 0 } problems
            ? throw new InvalidDataException(string.Join("; ", problems))
            : profile;
    }

    public static RuleProfile Load(string path, RuleCatalog catalog) => Parse(File.ReadAllText(path), catalog);
}

/// <summary>The serializer's description of a profile's types, generated at compile time; used through <see cref="RuleProfile.JsonOptions"/>.</summary>
[JsonSerializable(typeof(RuleProfile))]
public sealed partial class RuleProfileJsonContext : JsonSerializerContext;
