using System.Security.Cryptography;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Dns.DnsSec;

/// <summary>One RRset of a signed zone and what its signatures say.</summary>
public sealed record RrsetVerdict(DnsName Owner, RecordType Type, IReadOnlyList<ResourceRecord> Records, RrsetCheck Check);

/// <summary>A place where the zone's proof of non-existence (NSEC or NSEC3 chain) is wrong.</summary>
public sealed record DenialProblem(DnsName Name, string Detail, ResourceRecord? Record = null);

/// <summary>
/// A signed zone checked on its own, without a trust anchor (as <c>dnssec-verify</c> does): every
/// authoritative RRset against the apex DNSKEY set, and the NSEC or NSEC3 chain against the names and
/// types the zone holds. Signatures are verified on all cores.
/// </summary>
public sealed class ZoneSignatures
{
    private ZoneSignatures(ZoneData zone, IReadOnlyList<ResourceRecord> keys, IReadOnlyList<RrsetVerdict> rrsets, IReadOnlyList<DenialProblem> denial, string denialKind)
    {
        Zone = zone;
        Keys = keys;
        Rrsets = rrsets;
        Denial = denial;
        DenialKind = denialKind;
    }

    public ZoneData Zone { get; }

    /// <summary>The apex DNSKEY records.</summary>
    public IReadOnlyList<ResourceRecord> Keys { get; }

    /// <summary>Every RRset that must be signed, with its check (in zone order of owners).</summary>
    public IReadOnlyList<RrsetVerdict> Rrsets { get; }

    public IReadOnlyList<DenialProblem> Denial { get; }

    /// <summary>"NSEC", "NSEC3", or "none".</summary>
    public string DenialKind { get; }

    /// <summary>True when the zone publishes DNSKEY records at its apex.</summary>
    public static bool IsSigned(ZoneData zone) => zone.Has(zone.Apex, RecordType.DNSKEY);

    public static ZoneSignatures Check(ZoneData zone, DateTimeOffset now)
    {
        var keys = zone.At(zone.Apex, RecordType.DNSKEY);
        var work = new List<(DnsName Owner, RecordType Type, IReadOnlyList<ResourceRecord> Records, IReadOnlyList<ResourceRecord> Signatures)>();
        foreach (var owner in zone.Owners)
        {
            var cut = zone.DelegationCovering(owner);
            if (cut is not null && cut != owner)
            {
                continue; // glue and occluded data are not signed
            }

            var records = zone.At(owner);
            var signatures = records.Where(r => r.Type == RecordType.RRSIG).ToList();
            foreach (var group in records.Where(r => r.Type != RecordType.RRSIG).GroupBy(r => r.Type))
            {
                // At a delegation only the DS and NSEC records belong to this zone (RFC 4035 §2.2).
                if (cut is not null && group.Key != RecordType.DS && group.Key != RecordType.NSEC)
                {
                    continue;
                }

                work.Add((owner, group.Key, group.ToList(), signatures));
            }
        }

        var zoneKeys = ZoneKey.From(keys);
        var verdicts = new RrsetVerdict[work.Count];
        Parallel.For(0, work.Count, i =>
        {
            var (owner, type, records, signatures) = work[i];
            verdicts[i] = new RrsetVerdict(owner, type, records, RrsetVerifier.Check(records, signatures, zoneKeys, zone.Apex, now));
        });

        var (kind, denial) = zone.Owners.Any(o => zone.Has(o, RecordType.NSEC3)) ? ("NSEC3", CheckNsec3(zone))
            : zone.Owners.Any(o => zone.Has(o, RecordType.NSEC)) ? ("NSEC", CheckNsec(zone))
            : ("none", keys.Count > 0 ? [new DenialProblem(zone.Apex, "the zone is signed but has neither NSEC nor NSEC3 records: no name or type can be proven absent")] : []);
        return new ZoneSignatures(zone, keys, verdicts, denial, kind);
    }

    /// <summary>The names that exist with data of this zone, in canonical order (not glue, not occluded).</summary>
    private static List<DnsName> AuthoritativeNames(ZoneData zone) =>
        zone.Owners.Where(o => zone.DelegationCovering(o) is not { } cut || cut == o)
            .Where(o => zone.At(o).Any(r => r.Type != RecordType.NSEC3 && r.Type != RecordType.RRSIG) || o == zone.Apex)
            .ToList() is var owners ? CanonicalOrder.Sort(owners) : [];

    private static List<DenialProblem> CheckNsec(ZoneData zone)
    {
        var problems = new List<DenialProblem>();
        var names = AuthoritativeNames(zone);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            var nsec = zone.At(name, RecordType.NSEC);
            if (nsec.Count == 0)
            {
                problems.Add(new DenialProblem(name, $"{name.Text} has no NSEC record, so the chain skips it"));
                continue;
            }

            var data = (NsecData)nsec[0].Data;
            var expectedNext = names[(i + 1) % names.Count];
            if (data.NextName != expectedNext)
            {
                problems.Add(new DenialProblem(name, $"the NSEC at {name.Text} points to {data.NextName.Text}, but the next name in the zone is {expectedNext.Text}", nsec[0]));
            }

            var present = zone.At(name).Select(r => r.Type).Append(RecordType.RRSIG).Append(RecordType.NSEC).Distinct().Select(t => t.Value).Order().ToList();
            var listed = data.Types.Select(t => t.Value).Distinct().Order().ToList();
            if (!present.SequenceEqual(listed))
            {
                problems.Add(new DenialProblem(name, $"the NSEC at {name.Text} lists the types {string.Join(" ", data.Types)}, but the name holds {string.Join(" ", present.Select(v => new RecordType(v)))}", nsec[0]));
            }
        }

        return problems;
    }

    private static List<DenialProblem> CheckNsec3(ZoneData zone)
    {
        var problems = new List<DenialProblem>();
        var parameters = zone.At(zone.Apex, RecordType.NSEC3PARAM).Select(r => (Nsec3ParamData)r.Data).FirstOrDefault();
        var records = zone.Owners.SelectMany(o => zone.At(o, RecordType.NSEC3)).ToList();
        var first = (Nsec3Data)records[0].Data;
        var (iterations, salt) = parameters is null ? (first.Iterations, first.Salt) : (parameters.Iterations, parameters.Salt);

        // Every authoritative name, and every empty non-terminal between them and the apex, has its hash in the chain.
        var names = new HashSet<DnsName>(AuthoritativeNames(zone));
        foreach (var name in names.ToList())
        {
            for (var parent = name; parent != zone.Apex && parent.IsSubdomainOf(zone.Apex); parent = parent.Parent)
            {
                names.Add(parent);
            }
        }

        var byHash = records.GroupBy(r => r.Owner.FirstLabel.ToUpperInvariant()).ToDictionary(g => g.Key, g => g.First());
        foreach (var name in CanonicalOrder.Sort(names))
        {
            var optedOut = first.Flags == 1 && zone.Delegations.Contains(name) && !zone.Has(name, RecordType.DS);
            if (optedOut)
            {
                continue;
            }

            var hash = Nsec3Hash(name, salt, iterations);
            if (!byHash.TryGetValue(hash, out var record))
            {
                problems.Add(new DenialProblem(name, $"{name.Text} has no NSEC3 record (its hash {hash} is not in the chain)"));
                continue;
            }

            var present = zone.At(name).Where(r => r.Type != RecordType.NSEC3).Select(r => r.Type.Value)
                .Concat(zone.At(name).Any(r => r.Type != RecordType.NSEC3) && zone.DelegationCovering(name) != name ? [RecordType.RRSIG.Value] : [])
                .Distinct().Order().ToList();
            var listed = ((Nsec3Data)record.Data).Types.Select(t => t.Value).Where(v => v != RecordType.RRSIG.Value || present.Contains(v)).Distinct().Order().ToList();
            if (!present.Where(v => v != RecordType.RRSIG.Value).SequenceEqual(listed.Where(v => v != RecordType.RRSIG.Value)))
            {
                problems.Add(new DenialProblem(name, $"the NSEC3 record for {name.Text} lists the types {string.Join(" ", ((Nsec3Data)record.Data).Types)}, but the name holds {string.Join(" ", present.Select(v => new RecordType(v)))}", record));
            }
        }

        // The hashes form one closed chain in order.
        var ordered = byHash.Keys.Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var data = (Nsec3Data)byHash[ordered[i]].Data;
            var expected = ordered[(i + 1) % ordered.Count];
            if (!string.Equals(data.NextHashedOwner, expected, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(new DenialProblem(byHash[ordered[i]].Owner, $"the NSEC3 record {ordered[i]} points to {data.NextHashedOwner}, but the next hash in the zone is {expected}", byHash[ordered[i]]));
            }
        }

        return problems;
    }

    /// <summary>The NSEC3 hash of a name (RFC 5155 §5): SHA-1 over the canonical name and salt, iterated.</summary>
    public static string Nsec3Hash(DnsName name, byte[] salt, ushort iterations)
    {
        var hash = SHA1.HashData([.. WireFormat.CanonicalName(name), .. salt]);
        for (var i = 0; i < iterations; i++)
        {
            hash = SHA1.HashData([.. hash, .. salt]);
        }

        return Base32Hex.Encode(hash);
    }
}
