using System.Security.Cryptography;
using RulesApi.Dns.DnsSec;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Fixtures;

/// <summary>
/// <c>"signed": {"zones": [".", "com", "example.com"], "breakage": "expired-caa"}</c> in scenario.json:
/// the zones are signed when the scenario is loaded, each with a fresh key, and each parent zone gets
/// their DS; the root's DS becomes the scenario's trust anchor. The
/// signatures run from 2020-01-01 to a year after loading, so they are valid both at the tests' fixed
/// clock and at the service's, and nothing in the repository expires. A breakage spoils one thing:
/// <c>expired-caa</c> (the apex CAA set's signature expired in 2021), <c>bogus-caa</c> (its signature
/// does not verify), <c>bogus-ds</c> (the parent's signature over the deepest signed zone's DS does not
/// verify) or <c>no-nsec-www</c> (the NSEC record at www — or, with <c>"nsec3": true</c>, the NSEC3
/// record at its hash — and its signature are missing) or <c>bogus-nsec</c> (no signature over the
/// deepest signed zone's NSEC records verifies).
/// </summary>
public sealed record FixtureSigning(IReadOnlyList<string> Zones, string? Breakage = null, bool Nsec3 = false)
{
    /// <summary>The salt of the NSEC3 chain when <c>"nsec3": true</c> (no extra iterations, no opt-out).</summary>
    public static readonly byte[] Nsec3Salt = [0xAB, 0x12];

    public static readonly IReadOnlyList<string> Breakages = ["expired-caa", "bogus-caa", "bogus-ds", "no-nsec-www", "bogus-nsec"];

    private static readonly DateTimeOffset Inception = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The scenario's files with the listed zones signed and their DS added to the parents' files, and the
    /// trust anchor (the root's DS) when the root is among them.
    /// </summary>
    public (IReadOnlyDictionary<string, string> Files, DsData? TrustAnchor) Apply(string scenario, IReadOnlyDictionary<string, string> files)
    {
        if (Breakage is not null && !Breakages.Contains(Breakage))
        {
            throw new InvalidDataException($"scenario {scenario}: unknown breakage '{Breakage}' (known: {string.Join(", ", Breakages)})");
        }

        var result = files.ToDictionary();
        var expiration = DateTimeOffset.UtcNow.AddYears(1);
        DsData? anchor = null;
        // Deepest first: a zone's DS must be in its parent's file before the parent is signed.
        foreach (var apex in Apexes.OrderByDescending(a => a.LabelCount))
        {
            var file = apex.IsRoot ? "root.zone" : apex.Text.TrimEnd('.') + ".zone";
            var parsed = MasterFileParser.Parse(result[file], new ZoneParserOptions { Origin = apex });
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var (records, ds) = ZoneSigner.Sign(ZoneData.Build(parsed, apex), parsed.Records, key, Inception, expiration, nsec3Salt: Nsec3 ? Nsec3Salt : null);
            records = Spoil(records, apex, key);
            result[file] = string.Join('\n', records.Select(r => r.ToZoneLine())) + "\n";
            if (apex.IsRoot)
            {
                anchor = ds;
                continue;
            }

            // The DS goes to the deepest other zone of the scenario that contains the apex: its parent.
            var parent = result.Keys.Where(f => f.EndsWith(".zone", StringComparison.Ordinal) && !f.Contains('@', StringComparison.Ordinal) && f != file)
                .Select(f => (File: f, Apex: f == "root.zone" ? DnsName.Root : DnsName.Parse(f[..^".zone".Length] + ".")))
                .Where(p => apex.IsSubdomainOf(p.Apex))
                .OrderByDescending(p => p.Apex.LabelCount)
                .First();
            result[parent.File] += $"\n{apex.Text} 3600 IN DS {ds}\n";
        }

        return (result, anchor);
    }

    private IEnumerable<DnsName> Apexes => Zones.Select(z => z is "." ? DnsName.Root : DnsName.Parse(z.TrimEnd('.') + "."));

    // The breakages that spoil signatures aim at the deepest signed zone (the customer's).
    private DnsName Deepest => Apexes.MaxBy(a => a.LabelCount)!;

    /// <summary>The same RRSIG with its signature bytes scrambled: it no longer verifies.</summary>
    private static ResourceRecord Scrambled(ResourceRecord signature, RrsigData data) =>
        signature with { Data = data with { Signature = [.. data.Signature.Select(b => (byte)(b ^ 0x5a))] } };

    private IReadOnlyList<ResourceRecord> Spoil(IReadOnlyList<ResourceRecord> records, DnsName apex, ECDsa key)
    {
        if (Breakage is null)
        {
            return records;
        }

        if (Breakage == "bogus-nsec")
        {
            // Spoil the signatures over the NSEC records of the deepest signed zone: no proof of absence there verifies.
            return apex != Deepest ? records : records.Select(r => r.Data is RrsigData { TypeCovered.Value: 47 } data ? Scrambled(r, data) : r).ToList();
        }

        if (Breakage == "no-nsec-www")
        {
            // The proof for www: its NSEC record, or the NSEC3 record at its hash; with the signature over it.
            var owner = Nsec3 ? apex.Prepend(ZoneSignatures.Nsec3Hash(apex.Prepend("www"), Nsec3Salt, 0)) : apex.Prepend("www");
            return records.Where(r => !(r.Owner == owner && (r.Type.Value is 47 or 50 || r.Data is RrsigData { TypeCovered.Value: 47 or 50 }))).ToList();
        }

        if (Breakage == "bogus-ds")
        {
            // Spoil the signature over the DS set of the deepest signed zone (made by its parent).
            return records.Select(r => r.Owner == Deepest && r.Data is RrsigData { TypeCovered.Value: 43 } data ? Scrambled(r, data) : r).ToList();
        }

        var caa = records.Where(r => r.Owner == apex && r.Type == RecordType.CAA).ToList();
        if (caa.Count == 0)
        {
            return records; // the breakage is for the zone that holds the CAA set
        }

        var old = records.Single(r => r.Owner == apex && r.Data is RrsigData { TypeCovered.Value: 257 });
        var tag = ((RrsigData)old.Data).KeyTag;
        var spoiled = Breakage == "expired-caa"
            ? ZoneSigner.SignRrset(caa, apex, key, tag, Inception, new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero))
            : Scrambled(old, (RrsigData)old.Data);
        return records.Select(r => ReferenceEquals(r, old) ? spoiled : r).ToList();
    }
}
