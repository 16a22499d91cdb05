using System.Net;
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
/// A fault the fixture server injects: <c>servfail</c>, <c>refused</c>, <c>timeout</c> (no answer at
/// all), <c>truncate</c> (an empty truncated UDP answer, so the client must retry over TCP) or
/// <c>lame</c> (a non-authoritative empty answer from a server that should know). It applies to one
/// name (every name when not given), one type (every type when not given), and one server address
/// (every server when not given).
/// </summary>
public sealed record FixtureFault(string? Name, string? Type, string Fault, string? Server = null)
{
    public static readonly IReadOnlyList<string> Kinds = ["servfail", "refused", "timeout", "truncate", "lame"];

    /// <summary>The faults after which a server has given no usable answer (a truncated one is retried over TCP).</summary>
    public bool Fails => Fault != "truncate";

    public bool Matches(DnsName name, RecordType type, IPAddress server) =>
        (Name is null || string.Equals(Name.TrimEnd('.') + ".", name.Text, StringComparison.OrdinalIgnoreCase))
        && (Type is null || string.Equals(Type, type.ToString(), StringComparison.OrdinalIgnoreCase))
        && (Server is null || string.Equals(Server, server.ToString(), StringComparison.Ordinal));
}

/// <summary>
/// A negative answer the scenario's recursive resolver still holds in its cache (<c>nxdomain</c> or
/// <c>nodata</c>), with the seconds it has left — as a resolver that was asked before the record existed.
/// </summary>
public sealed record FixtureCachedAnswer(string Name, string Type, string Answer, uint RemainingTtl);

/// <summary>
/// The scenario's recursive resolver: it resolves from the scenario's servers, except for what it has
/// cached. A <c>validating</c> one answers SERVFAIL, as validating resolvers do, for names in a zone
/// whose link from the parent is broken (DS records that match no DNSKEY of the zone) — unless the
/// question sets CD. It checks that link only, not the signatures.
/// </summary>
public sealed record FixtureResolver(IReadOnlyList<FixtureCachedAnswer>? Cached = null, bool Validating = false);

/// <summary>The rule IDs a scenario must and must not produce; a test holds every scenario to them.</summary>
public sealed record FixtureExpectations(IReadOnlyList<string> Must, IReadOnlyList<string> MustNot);

/// <summary>What <c>scenario.json</c> says.</summary>
public sealed record FixtureMetadata(
    string Description,
    IReadOnlyList<string> Domains,
    IReadOnlyList<FixtureValidationRecord>? ValidationRecords,
    FixtureExpectations Expect,
    IReadOnlyList<FixtureFault>? Faults = null,
    FixtureResolver? Resolver = null,
    string? Provider = null,
    FixtureSigning? Signed = null);

/// <summary>
/// A named offline scenario: a small DNS hierarchy (the root, a TLD, the customer's zone, a provider's
/// zone) as zone files named after their apex (<c>example.com.zone</c>, <c>root.zone</c>), and a
/// <c>scenario.json</c> with its description, the names to check, the validation records ACM expects
/// and the rule IDs the diagnosis must and must not produce.
/// <para>
/// A zone is served by the addresses (from the scenario's glue) of the name servers its parent
/// delegates it to and of those its own apex lists. <c>example.com@127.0.10.5.zone</c> is what the
/// server at 127.0.10.5 serves instead of <c>example.com.zone</c>: a server that lags behind, or the
/// provider the customer edits but the world does not ask. A recursive resolver answers on
/// <see cref="ResolverAddress"/>.
/// </para>
/// </summary>
public sealed class FixtureScenario
{

    /// <summary>Where every scenario's recursive resolver listens.</summary>
    public static readonly IPAddress ResolverAddress = IPAddress.Parse("127.0.10.53");

    private readonly Dictionary<(IPAddress, DnsName), ZoneData> _variants;

    private FixtureScenario(string name, FixtureMetadata metadata, IReadOnlyList<ZoneData> zones, Dictionary<(IPAddress, DnsName), ZoneData> variants,
        IReadOnlyDictionary<string, string> files)
    {
        Name = name;
        Files = files;
        Metadata = metadata;
        Zones = zones;
        _variants = variants;
        Servers = zones.ToDictionary(zone => zone.Apex, ServingAddresses).AsReadOnly();
    }

    /// <summary>The addresses that serve each zone, in the order a resolver tries them (the parent's delegation first).</summary>
    public IReadOnlyDictionary<DnsName, IReadOnlyList<IPAddress>> Servers { get; }

    /// <summary>The zone as the server at <paramref name="address"/> has it.</summary>
    public ZoneData ZoneAt(IPAddress address, ZoneData zone) => _variants.GetValueOrDefault((address, zone.Apex), zone);

    /// <summary>The deepest zone of the scenario that contains the name, or null.</summary>
    public ZoneData? ZoneContaining(DnsName name) => Zones.FirstOrDefault(zone => name.IsSubdomainOf(zone.Apex));

    /// <summary>The zone's parent in the scenario (the zone that delegates it), or null for the root.</summary>
    public ZoneData? ParentOf(ZoneData zone) => zone.Apex.IsRoot ? null : ZoneContaining(zone.Apex.Parent);

    /// <summary>The name servers the parent delegates the zone to (the root's own for the root).</summary>
    public IReadOnlyList<DnsName> DelegationOf(ZoneData zone) =>
        (ParentOf(zone) ?? zone).At(zone.Apex, RecordType.NS).Select(ns => ((NameData)ns.Data).Target).Distinct().ToList();

    /// <summary>The addresses the scenario gives a name server (its glue, in whichever zone holds it).</summary>
    public IReadOnlyList<IPAddress> AddressesOf(DnsName server) =>
        Zones.SelectMany(zone => zone.At(server, RecordType.A)).Select(a => ((AddressData)a.Data).Address).Distinct().ToList();

    private IReadOnlyList<IPAddress> ServingAddresses(ZoneData zone)
    {
        var own = zone.At(zone.Apex, RecordType.NS).Select(ns => ((NameData)ns.Data).Target);
        var addresses = DelegationOf(zone).Concat(own).SelectMany(AddressesOf).Distinct().ToList();
        return addresses.Count > 0
            ? addresses
            : throw new InvalidDataException($"scenario {Name}: no glue address for the name servers of {zone.Apex.Text}");
    }

    public string Name { get; }

    /// <summary>The DS of the scenario's root key when the scenario signs its root: where validation starts.</summary>
    public IReadOnlyList<DsData> TrustAnchors { get; private init; } = [];

    /// <summary>The scenario's files by name, as written — before any signing (a test can load a variant of a scenario from them).</summary>
    public IReadOnlyDictionary<string, string> Files { get; }

    public FixtureMetadata Metadata { get; }

    public IReadOnlyList<FixtureFault> Faults => Metadata.Faults ?? [];

    /// <summary>The fault the server at <paramref name="server"/> injects for a question, if any.</summary>
    public FixtureFault? FaultFor(DnsName name, RecordType type, IPAddress server) => Faults.FirstOrDefault(f => f.Matches(name, type, server));

    /// <summary>What the scenario's resolver still has cached for a question, if anything.</summary>
    public FixtureCachedAnswer? CachedFor(DnsName name, RecordType type) => Metadata.Resolver?.Cached?.FirstOrDefault(c =>
        string.Equals(c.Name.TrimEnd('.') + ".", name.Text, StringComparison.OrdinalIgnoreCase) && string.Equals(c.Type, type.ToString(), StringComparison.OrdinalIgnoreCase));

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
        var metadata = JsonSerializer.Deserialize(files["scenario.json"], FixtureJsonContext.Default.FixtureMetadata)
            ?? throw new InvalidDataException($"scenario {name}: scenario.json is empty");
        if (metadata.Faults?.FirstOrDefault(f => !FixtureFault.Kinds.Contains(f.Fault)) is { } unknown)
        {
            throw new InvalidDataException($"scenario {name}: unknown fault '{unknown.Fault}' (known: {string.Join(", ", FixtureFault.Kinds)})");
        }

        if (metadata.Resolver?.Cached?.FirstOrDefault(c => c.Answer is not ("nxdomain" or "nodata")) is { } cached)
        {
            throw new InvalidDataException($"scenario {name}: cached answer '{cached.Answer}' for {cached.Name} is neither nxdomain nor nodata");
        }

        var zones = new List<ZoneData>();
        var variants = new Dictionary<(IPAddress, DnsName), ZoneData>();
        var written = files;
        DsData? anchor = null;
        if (metadata.Signed is { } signing)
        {
            (files, anchor) = signing.Apply(name, files);
        }

        foreach (var (file, text) in files.Where(f => f.Key.EndsWith(".zone", StringComparison.Ordinal)))
        {
            // example.com.zone, or example.com@127.0.10.5.zone for what one server has instead.
            var stem = file[..^".zone".Length];
            var at = stem.IndexOf('@', StringComparison.Ordinal);
            var apex = stem is "root" ? DnsName.Root : DnsName.Parse((at < 0 ? stem : stem[..at]) + ".");
            var parsed = MasterFileParser.Parse(text, new ZoneParserOptions { Origin = apex });
            if (parsed.HasErrors)
            {
                throw new InvalidDataException($"scenario {name}, {file}: {string.Join("; ", parsed.Diagnostics)}");
            }

            if (at < 0)
            {
                zones.Add(ZoneData.Build(parsed, apex));
            }
            else
            {
                variants[(IPAddress.Parse(stem[(at + 1)..]), apex)] = ZoneData.Build(parsed, apex);
            }
        }

        return new FixtureScenario(name, metadata, zones.OrderByDescending(z => z.Apex.LabelCount).ToList(), variants, written)
        {
            TrustAnchors = anchor is null ? [] : [anchor],
        };
    }
}

/// <summary>How scenario.json is read: web defaults, comments allowed, its types described at compile time (the command line is compiled ahead of time).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(FixtureMetadata))]
internal sealed partial class FixtureJsonContext : JsonSerializerContext;
