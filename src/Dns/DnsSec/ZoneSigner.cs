using System.Security.Cryptography;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Dns.DnsSec;

/// <summary>
/// Signs a zone the simple way test hierarchies need: one ECDSAP256SHA256 key (flags 257, signing
/// everything), an NSEC chain — or, given a salt, an NSEC3 chain (no opt-out, no extra iterations) —
/// and an RRSIG over every authoritative RRset (RFC 4035 §2, RFC 5155 §7.1). Not a production signer:
/// no key rollover.
/// </summary>
public static class ZoneSigner
{
    public const byte Algorithm = 13;

    /// <summary>The zone's records with DNSKEY, NSEC and RRSIG records added; and the DS its parent should publish.</summary>
    public static (IReadOnlyList<ResourceRecord> Records, DsData Ds) Sign(ZoneData zone, IEnumerable<ResourceRecord> records, ECDsa key,
        DateTimeOffset inception, DateTimeOffset expiration, uint ttl = 3600, byte[]? nsec3Salt = null)
    {
        var q = key.ExportParameters(false).Q;
        var dnskey = new DnsKeyData(257, 3, Algorithm, [.. q.X!, .. q.Y!]);
        var tag = DnsSecCrypto.KeyTag(dnskey);
        var all = records.Where(r => r.Type.Value is not (RecordType.Codes.RRSIG or RecordType.Codes.NSEC or RecordType.Codes.DNSKEY or RecordType.Codes.NSEC3 or RecordType.Codes.NSEC3PARAM)).ToList();
        all.Add(new ResourceRecord(zone.Apex, RecordType.DNSKEY, RecordClass.IN, ttl, dnskey));
        if (nsec3Salt is not null)
        {
            all.Add(new ResourceRecord(zone.Apex, RecordType.NSEC3PARAM, RecordClass.IN, 0, new Nsec3ParamData(1, 0, 0, nsec3Salt)));
        }

        // The NSEC chain over the names that hold this zone's data (not glue below a cut).
        var byOwner = all.GroupBy(r => r.Owner).ToDictionary(g => g.Key, g => g.ToList());
        var names = CanonicalOrder.Sort(byOwner.Keys.Where(n => n.IsSubdomainOf(zone.Apex) && (zone.DelegationCovering(n) is not { } cut || cut == n)));
        var minimum = all.FirstOrDefault(r => r.Type == RecordType.SOA && r.Owner == zone.Apex) is { Data: SoaData soa } ? soa.Minimum : ttl;
        if (nsec3Salt is null)
        {
            for (var i = 0; i < names.Count; i++)
            {
                var types = byOwner[names[i]].Select(r => r.Type).Append(RecordType.RRSIG).Append(RecordType.NSEC).Distinct().OrderBy(t => t.Value).ToList();
                all.Add(new ResourceRecord(names[i], RecordType.NSEC, RecordClass.IN, minimum, new NsecData(names[(i + 1) % names.Count], types)));
            }
        }
        else
        {
            all.AddRange(Nsec3Chain(zone, names, byOwner, nsec3Salt, minimum));
        }

        var signatures = new List<ResourceRecord>();
        foreach (var group in all.GroupBy(r => (r.Owner, r.Type)))
        {
            var (owner, type) = group.Key;
            var cut = zone.DelegationCovering(owner);
            if (!owner.IsSubdomainOf(zone.Apex) || (cut is not null && (cut != owner || (type != RecordType.DS && type != RecordType.NSEC))))
            {
                continue; // glue, delegation NS and out-of-zone data are not signed
            }

            signatures.Add(SignRrset(group.ToList(), zone.Apex, key, tag, inception, expiration));
        }

        return ([.. all, .. signatures], new DsData(tag, Algorithm, 2, DnsSecCrypto.DsDigest(zone.Apex, dnskey, 2)!));
    }

    // Every name and every empty non-terminal above it gets an NSEC3 record at its hash (RFC 5155 §7.1).
    private static IEnumerable<ResourceRecord> Nsec3Chain(ZoneData zone, List<DnsName> names, Dictionary<DnsName, List<ResourceRecord>> byOwner, byte[] salt, uint ttl)
    {
        var all = new HashSet<DnsName>(names);
        foreach (var name in names)
        {
            for (var parent = name.Parent; parent != zone.Apex && parent.IsSubdomainOf(zone.Apex); parent = parent.Parent)
            {
                all.Add(parent);
            }
        }

        var hashed = all.Select(name =>
        {
            var data = byOwner.GetValueOrDefault(name) ?? [];
            var unsignedDelegation = zone.Delegations.Contains(name) && !data.Any(r => r.Type == RecordType.DS);
            var types = data.Select(r => r.Type).Concat(data.Count > 0 && !unsignedDelegation ? [RecordType.RRSIG] : []).Distinct().OrderBy(t => t.Value).ToList();
            return (Hash: ZoneSignatures.Nsec3Hash(name, salt, 0), Types: types);
        }).OrderBy(h => h.Hash, StringComparer.Ordinal).ToList();
        for (var i = 0; i < hashed.Count; i++)
        {
            yield return new ResourceRecord(zone.Apex.Prepend(hashed[i].Hash), RecordType.NSEC3, RecordClass.IN, ttl,
                new Nsec3Data(1, 0, 0, salt, hashed[(i + 1) % hashed.Count].Hash, hashed[i].Types));
        }
    }

    /// <summary>An RRSIG over one RRset by the given key.</summary>
    public static ResourceRecord SignRrset(IReadOnlyList<ResourceRecord> rrset, DnsName signer, ECDsa key, ushort tag, DateTimeOffset inception, DateTimeOffset expiration)
    {
        var owner = rrset[0].Owner;
        var header = new RrsigData(rrset[0].Type, Algorithm, (byte)(owner.IsWildcard ? owner.LabelCount - 1 : owner.LabelCount), rrset[0].Ttl,
            (uint)expiration.ToUnixTimeSeconds(), (uint)inception.ToUnixTimeSeconds(), tag, signer, []);
        var signature = key.SignData(RrsetVerifier.SignedData(rrset, header)!, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new ResourceRecord(owner, RecordType.RRSIG, RecordClass.IN, rrset[0].Ttl, header with { Signature = signature });
    }
}
