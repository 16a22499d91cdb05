using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.DnsSec;

public enum RrsetStatus
{
    /// <summary>A signature from one of the zone's keys is within its validity period and verifies.</summary>
    Secure,

    /// <summary>No RRSIG covers the RRset.</summary>
    Unsigned,

    /// <summary>Every covering signature has expired.</summary>
    Expired,

    /// <summary>Every covering signature starts in the future.</summary>
    NotYetValid,

    /// <summary>The signatures name keys the zone does not publish.</summary>
    NoMatchingKey,

    /// <summary>A signature by a published key, in its validity period, does not verify.</summary>
    BadSignature,

    /// <summary>The signatures use algorithms this code cannot verify (Ed25519, Ed448) or data it cannot encode.</summary>
    NotCheckable,
}

/// <summary>A zone key with its tag worked out once.</summary>
public sealed record ZoneKey(ResourceRecord Record, DnsKeyData Data, ushort Tag)
{
    public static IReadOnlyList<ZoneKey> From(IEnumerable<ResourceRecord> dnskeys) =>
        dnskeys.Where(k => k.Data is DnsKeyData { IsZoneKey: true }).Select(k => new ZoneKey(k, (DnsKeyData)k.Data, DnsSecCrypto.KeyTag((DnsKeyData)k.Data))).ToList();
}

/// <summary>The outcome for one RRset, with the signature it is about (the best one found) and why, in words.</summary>
public sealed record RrsetCheck(RrsetStatus Status, ResourceRecord? Signature, string Detail)
{
    public RrsigData? Data => Signature?.Data as RrsigData;
}

/// <summary>
/// Verifies an RRset against its RRSIGs and the zone's DNSKEY set (RFC 4035 §5.3): the signature must
/// name the zone, come from a published zone key of its algorithm and tag, be within its validity
/// period, and verify over the canonical form of the RRset (RFC 4034 §3.1.8.1, §6).
/// </summary>
public static class RrsetVerifier
{
    public static RrsetCheck Check(IReadOnlyList<ResourceRecord> rrset, IEnumerable<ResourceRecord> signatures, IReadOnlyList<ResourceRecord> keys,
        DnsName zone, DateTimeOffset now) => Check(rrset, signatures, ZoneKey.From(keys), zone, now);

    public static RrsetCheck Check(IReadOnlyList<ResourceRecord> rrset, IEnumerable<ResourceRecord> signatures, IReadOnlyList<ZoneKey> keys,
        DnsName zone, DateTimeOffset now)
    {
        var type = rrset[0].Type;
        var covering = signatures.Where(s => s.Data is RrsigData r && r.TypeCovered == type && s.Owner == rrset[0].Owner).ToList();
        if (covering.Count == 0)
        {
            return new RrsetCheck(RrsetStatus.Unsigned, null, $"no RRSIG covers the {type} records at {rrset[0].Owner.Text}");
        }

        var time = (uint)Math.Clamp(now.ToUnixTimeSeconds(), 0, uint.MaxValue);
        var outcomes = new List<RrsetCheck>();
        foreach (var signature in covering)
        {
            var data = (RrsigData)signature.Data;
            var candidates = keys.Where(k => k.Data.Algorithm == data.Algorithm && k.Tag == data.KeyTag).ToList();
            if (data.SignerName != zone || candidates.Count == 0)
            {
                outcomes.Add(new RrsetCheck(RrsetStatus.NoMatchingKey, signature,
                    $"the RRSIG names key {data.KeyTag} ({DnsSecCrypto.AlgorithmName(data.Algorithm)}) of {data.SignerName.Text}, which {zone.Text} does not publish"));
                continue;
            }

            if (data.Expiration < time)
            {
                outcomes.Add(new RrsetCheck(RrsetStatus.Expired, signature, $"the RRSIG expired on {Show(data.Expiration)}"));
                continue;
            }

            if (data.Inception > time)
            {
                outcomes.Add(new RrsetCheck(RrsetStatus.NotYetValid, signature, $"the RRSIG is valid only from {Show(data.Inception)}"));
                continue;
            }

            var signed = SignedData(rrset, data);
            if (signed is null)
            {
                outcomes.Add(new RrsetCheck(RrsetStatus.NotCheckable, signature, $"the {type} data cannot be put in canonical form here"));
                continue;
            }

            var results = candidates.Select(k => DnsSecCrypto.Verify(data.Algorithm, k.Data.PublicKey, signed, data.Signature)).ToList();
            if (results.Contains(SignatureCheck.Valid))
            {
                return new RrsetCheck(RrsetStatus.Secure, signature, $"signed by key {data.KeyTag} until {Show(data.Expiration)}");
            }

            outcomes.Add(results.Contains(SignatureCheck.Invalid)
                ? new RrsetCheck(RrsetStatus.BadSignature, signature, $"the RRSIG by key {data.KeyTag} ({DnsSecCrypto.AlgorithmName(data.Algorithm)}) does not verify")
                : new RrsetCheck(RrsetStatus.NotCheckable, signature, $"{DnsSecCrypto.AlgorithmName(data.Algorithm)} signatures are not verified here"));
        }

        // No signature made it secure: report the most telling reason.
        return outcomes.OrderBy(o => o.Status switch
        {
            RrsetStatus.BadSignature => 0,
            RrsetStatus.Expired => 1,
            RrsetStatus.NotYetValid => 2,
            RrsetStatus.NoMatchingKey => 3,
            _ => 4,
        }).First();
    }

    /// <summary>RRSIG RDATA without the signature, then each record in canonical form and order (RFC 4034 §3.1.8.1, §6.3).</summary>
    public static byte[]? SignedData(IReadOnlyList<ResourceRecord> rrset, RrsigData signature)
    {
        var output = new List<byte>(WireFormat.RrsigHeader(signature));
        var owner = OwnerAsSigned(rrset[0].Owner, signature.Labels);
        var rdatas = new List<byte[]>();
        foreach (var record in rrset)
        {
            if (WireFormat.Rdata(record.Type, record.Data) is not { } rdata)
            {
                return null;
            }

            rdatas.Add(rdata);
        }

        rdatas.Sort(static (a, b) => a.AsSpan().SequenceCompareTo(b));
        byte[]? previous = null;
        foreach (var rdata in rdatas)
        {
            if (previous is not null && previous.AsSpan().SequenceEqual(rdata))
            {
                continue; // duplicates count once
            }

            output.AddRange(owner);
            WireFormat.U16(output, rrset[0].Type.Value);
            WireFormat.U16(output, 1);
            WireFormat.U32(output, signature.OriginalTtl);
            WireFormat.U16(output, (ushort)rdata.Length);
            output.AddRange(rdata);
            previous = rdata;
        }

        return [.. output];
    }

    // A wildcard answer is signed as the wildcard (RFC 4035 §5.3.2): fewer labels in the RRSIG than in the owner.
    private static byte[] OwnerAsSigned(DnsName owner, byte labels)
    {
        var name = owner;
        if (owner.IsWildcard && labels == owner.LabelCount - 1)
        {
            return WireFormat.CanonicalName(owner);
        }

        while (name.LabelCount > labels)
        {
            name = name.Parent;
        }

        return WireFormat.CanonicalName(name.LabelCount < owner.LabelCount ? name.Prepend("*") : name);
    }

    public static string Show(uint time) =>
        DateTimeOffset.FromUnixTimeSeconds(time).UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
