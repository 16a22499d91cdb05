using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.DnsSec;

/// <summary>
/// Records in DNSSEC's canonical wire form (RFC 4034 §6.2): names uncompressed and, where the RFC says
/// so, in lower case. This is what signatures and DS digests are computed over.
/// </summary>
public static class WireFormat
{
    // RFC 4034 §6.2 item 3 as amended by RFC 6840 §5.1 (NSEC's next name keeps its case): the types
    // whose RDATA names are lower-cased.
    private static readonly HashSet<ushort> LowerCasedNames =
        [RecordType.Codes.NS, RecordType.Codes.CNAME, RecordType.Codes.SOA, RecordType.Codes.PTR, RecordType.Codes.MX, RecordType.Codes.SRV, RecordType.Codes.NAPTR, RecordType.Codes.DNAME, RecordType.Codes.RRSIG];

    /// <summary>The labels of a name as octets, escapes (<c>\.</c>, <c>\DDD</c>) decoded.</summary>
    public static List<byte[]> Labels(DnsName name)
    {
        var labels = new List<byte[]>(name.LabelCount);
        Span<byte> octets = stackalloc byte[DnsName.MaxLabelOctets + 1];
        var scanner = new LabelScanner(name.IsRoot ? [] : name.Text);
        while (scanner.MoveNext())
        {
            labels.Add(octets[..LabelScanner.Decode(scanner.Current, octets, out _)].ToArray());
        }

        return labels;
    }

    public static void WriteName(List<byte> output, DnsName name, bool lowerCase)
    {
        foreach (var label in Labels(name))
        {
            output.Add((byte)label.Length);
            foreach (var octet in label)
            {
                output.Add(lowerCase && octet is >= (byte)'A' and <= (byte)'Z' ? (byte)(octet + 32) : octet);
            }
        }

        output.Add(0);
    }

    public static byte[] CanonicalName(DnsName name)
    {
        var output = new List<byte>();
        WriteName(output, name, lowerCase: true);
        return [.. output];
    }

    /// <summary>The RDATA in canonical wire form, or null for data this code cannot encode (then nothing over it can be verified).</summary>
    public static byte[]? Rdata(RecordType type, RecordData data)
    {
        var output = new List<byte>();
        var lower = LowerCasedNames.Contains(type.Value);
        switch (data)
        {
            case AddressData a:
                output.AddRange(a.Address.GetAddressBytes());
                if (a.Address.AddressFamily != (type == RecordType.A ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6))
                {
                    return null;
                }

                break;
            case NameData n:
                WriteName(output, n.Target, lower);
                break;
            case SoaData s:
                WriteName(output, s.PrimaryServer, lower);
                WriteName(output, s.Mailbox, lower);
                foreach (var value in new[] { s.Serial, s.Refresh, s.Retry, s.Expire, s.Minimum })
                {
                    U32(output, value);
                }

                break;
            case MxData m:
                U16(output, m.Preference);
                WriteName(output, m.Exchange, lower);
                break;
            case SrvData v:
                U16(output, v.Priority);
                U16(output, v.Weight);
                U16(output, v.Port);
                WriteName(output, v.Target, lower);
                break;
            case TxtData t:
                foreach (var text in t.Strings)
                {
                    CharacterString(output, text);
                }

                break;
            case HinfoData h:
                CharacterString(output, h.Cpu);
                CharacterString(output, h.OperatingSystem);
                break;
            case CaaData c:
                output.Add(c.Flags);
                output.Add((byte)c.Tag.Length);
                output.AddRange(Encoding.Latin1.GetBytes(c.Tag));
                output.AddRange(Encoding.Latin1.GetBytes(c.Value));
                break;
            case DsData d:
                U16(output, d.KeyTag);
                output.Add(d.Algorithm);
                output.Add(d.DigestType);
                output.AddRange(d.Digest);
                break;
            case DnsKeyData k:
                U16(output, k.Flags);
                output.Add(k.Protocol);
                output.Add(k.Algorithm);
                output.AddRange(k.PublicKey);
                break;
            case RrsigData r:
                output.AddRange(RrsigHeader(r));
                output.AddRange(r.Signature);
                break;
            case NsecData n:
                WriteName(output, n.NextName, lowerCase: false);
                output.AddRange(TypeBitmap(n.Types));
                break;
            case Nsec3Data n:
                output.Add(n.HashAlgorithm);
                output.Add(n.Flags);
                U16(output, n.Iterations);
                output.Add((byte)n.Salt.Length);
                output.AddRange(n.Salt);
                var next = Base32Hex.Decode(n.NextHashedOwner);
                output.Add((byte)next.Length);
                output.AddRange(next);
                output.AddRange(TypeBitmap(n.Types));
                break;
            case Nsec3ParamData p:
                output.Add(p.HashAlgorithm);
                output.Add(p.Flags);
                U16(output, p.Iterations);
                output.Add((byte)p.Salt.Length);
                output.AddRange(p.Salt);
                break;
            case TlsaData t:
                output.Add(t.Usage);
                output.Add(t.Selector);
                output.Add(t.MatchingType);
                output.AddRange(t.Association);
                break;
            case SshfpData s:
                output.Add(s.Algorithm);
                output.Add(s.FingerprintType);
                output.AddRange(s.Fingerprint);
                break;
            case NaptrData n:
                U16(output, n.Order);
                U16(output, n.Preference);
                CharacterString(output, n.Flags);
                CharacterString(output, n.Services);
                CharacterString(output, n.Regexp);
                WriteName(output, n.Replacement, lower);
                break;
            case GenericData g:
                output.AddRange(g.Octets);
                break;
            default:
                return null;
        }

        return [.. output];
    }

    /// <summary>The RRSIG RDATA without its signature (RFC 4034 §3.1.8.1): the first part of what is signed.</summary>
    public static byte[] RrsigHeader(RrsigData r)
    {
        var output = new List<byte>();
        U16(output, r.TypeCovered.Value);
        output.Add(r.Algorithm);
        output.Add(r.Labels);
        U32(output, r.OriginalTtl);
        U32(output, r.Expiration);
        U32(output, r.Inception);
        U16(output, r.KeyTag);
        WriteName(output, r.SignerName, lowerCase: true);
        return [.. output];
    }

    /// <summary>The type bitmap of NSEC and NSEC3 (RFC 4034 §4.1.2).</summary>
    public static byte[] TypeBitmap(IEnumerable<RecordType> types)
    {
        var output = new List<byte>();
        foreach (var window in types.Select(t => t.Value).Distinct().Order().GroupBy(t => t >> 8))
        {
            var bits = new byte[32];
            var length = 0;
            foreach (var type in window)
            {
                var low = type & 0xff;
                bits[low / 8] |= (byte)(0x80 >> (low % 8));
                length = Math.Max(length, low / 8 + 1);
            }

            output.Add((byte)window.Key);
            output.Add((byte)length);
            output.AddRange(bits.Take(length));
        }

        return [.. output];
    }

    private static void CharacterString(List<byte> output, string octets)
    {
        output.Add((byte)octets.Length);
        output.AddRange(Encoding.Latin1.GetBytes(octets));
    }

    public static void U16(List<byte> output, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        output.AddRange(bytes);
    }

    public static void U32(List<byte> output, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        output.AddRange(bytes);
    }
}

/// <summary>Base32 with the extended hex alphabet, without padding (RFC 4648 §7), as NSEC3 writes hashes.</summary>
public static class Base32Hex
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUV";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var builder = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var octet in data)
        {
            buffer = (buffer << 8) | octet;
            bits += 8;
            while (bits >= 5)
            {
                builder.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            builder.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return builder.ToString();
    }

    public static byte[] Decode(string text)
    {
        var output = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('='))
        {
            var value = Alphabet.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException($"'{c}' is not a base32hex digit");
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. output];
    }
}
