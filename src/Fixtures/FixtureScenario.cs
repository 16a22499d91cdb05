using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Fixtures;

/// <summary>A validation record a scenario expects ACM to look for.</summary>
public sealed record FixtureValidationRecord(string Name, string Value);

/// <summary>
/// A fault the fixture server injects for one name (and type, when given): <c>servfail</c>, <c>refused</c>,
/// <c>timeout</c> (no answer at all), <c>truncate</c> (an empty truncated UDP answer, so the client must
/// retry over TCP) or <c>lame</c> (a non-authoritative empty answer from a server that should know).
/// </summary>
public sealed record FixtureFault(string Name, string? Type, string Fault)
{
    public static readonly IReadOnlyList<string> Kinds = ["servfail", "refused", "timeout", "truncate", "lame"];

    public bool Matches(DnsName name, RecordType type) =>
        string.Equals(Name.TrimEnd('.') + ".", name.Text, StringComparison.OrdinalIgnoreCase)
        && (Type is null || string.Equals(Type, type.ToString(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>The rule IDs a scenario must and must not produce; a test holds every scenario to them.</summary>
public sealed record FixtureExpectations(IReadOnlyList<string> Must, IReadOnlyList<string> MustNot);

/// <summary>What <c>scenario.json</c> says.</summary>
public sealed record FixtureMetadata(
    string Description,
    IReadOnlyList<string> Domains,
    IReadOnlyList<FixtureValidationRecord>? ValidationRecords,
    FixtureExpectations Expect,
    IReadOnlyList<FixtureFault>? Faults = null);

/// <summary>
/// A named offline scenario: a small DNS hierarchy (the root, a TLD, the customer's zone, a provider's
/// zone) as zone files named after their apex (<c>example.com.zone</c>, <c>root.zone</c>), and a
/// <c>scenario.json</c> with its description, the names to check, the validation records ACM expects
/// and the rule IDs the diagnosis must and must not produce.
/// </summary>
public sealed class FixtureScenario
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };

    private FixtureScenario(string name, FixtureMetadata metadata, IReadOnlyList<ZoneData> zones)
    {
        Name = name;
        Metadata = metadata;
        Zones = zones;
    }

    public string Name { get; }

    public FixtureMetadata Metadata { get; }

    public IReadOnlyList<FixtureFault> Faults => Metadata.Faults ?? [];

    /// <summary>The fault injected for a question, if any.</summary>
    public FixtureFault? FaultFor(DnsName name, RecordType type) => Faults.FirstOrDefault(f => f.Matches(name, type));

    /// <summary>The zones of the hierarchy, deepest apex first.</summary>
    public IReadOnlyList<ZoneData> Zones { get; }

    /// <summary>Every scenario built into this assembly, by name.</summary>
    public static IReadOnlyDictionary<string, FixtureScenario> BuiltIn { get; } = LoadBuiltIn();

    private static Dictionary<string, FixtureScenario> LoadBuiltIn()
    {
        var assembly = typeof(FixtureScenario).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(resource => resource.StartsWith("scenarios/", StringComparison.Ordinal))
            .Select(resource => (Resource: resource, Parts: resource.Split('/')))
            .Where(entry => entry.Parts.Length == 3)
            .GroupBy(entry => entry.Parts[1], entry => (File: entry.Parts[2], entry.Resource));
        return files.ToDictionary(group => group.Key, group => Load(group.Key, group.ToDictionary(f => f.File, f => Read(assembly, f.Resource))),
            StringComparer.OrdinalIgnoreCase);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Builds a scenario from its files; a broken scenario file is a bug in this repository and throws.</summary>
    public static FixtureScenario Load(string name, IReadOnlyDictionary<string, string> files)
    {
        var metadata = JsonSerializer.Deserialize<FixtureMetadata>(files["scenario.json"], Json)
            ?? throw new InvalidDataException($"scenario {name}: scenario.json is empty");
        if (metadata.Faults?.FirstOrDefault(f => !FixtureFault.Kinds.Contains(f.Fault)) is { } unknown)
        {
            throw new InvalidDataException($"scenario {name}: unknown fault '{unknown.Fault}' (known: {string.Join(", ", FixtureFault.Kinds)})");
        }

        var zones = new List<ZoneData>();
        foreach (var (file, text) in files.Where(f => f.Key.EndsWith(".zone", StringComparison.Ordinal)))
        {
            var apex = file == "root.zone" ? DnsName.Root : DnsName.Parse(file[..^".zone".Length] + ".");
            var parsed = MasterFileParser.Parse(text, new ZoneParserOptions { Origin = apex });
            if (parsed.HasErrors)
            {
                throw new InvalidDataException($"scenario {name}, {file}: {string.Join("; ", parsed.Diagnostics)}");
            }

            zones.Add(ZoneData.Build(parsed, apex));
        }

        return new FixtureScenario(name, metadata, zones.OrderByDescending(z => z.Apex.LabelCount).ToList());
    }
}
