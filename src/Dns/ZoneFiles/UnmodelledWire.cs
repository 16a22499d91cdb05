using System.Buffers.Binary;
using RulesApi.Dns.Records;
using WireReader = RulesApi.Dns.ZoneFiles.WireRdataDecoder.WireReader;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>
/// RFC 3597 data of the registered types kept as octets, read field by field as that type's wire format
/// (as BIND's <c>fromwire</c> does): running short, a field out of range or octets left over is an error.
/// The octets themselves are kept.
/// </summary>
internal static class UnmodelledWire
{
    public static GenericData Check(RecordType type, WireReader w, byte[] octets)
    {
        switch (type.ToString())
        {
            case "NULL" or "UNSPEC":
                return new GenericData(octets);
            case "MB" or "MG" or "MR" or "NSAP-PTR":
                w.Name("name");
                break;
            case "MINFO" or "RP" or "TALINK":
                w.Name("first name");
                w.Name("second name");
                break;
            case "AFSDB" or "RT" or "KX" or "LP":
                w.U16("preference");
                w.Name("name");
                break;
            case "PX":
                w.U16("preference");
                w.Name("MAP822 name");
                w.Name("MAPX400 name");
                break;
            case "ISDN":
                w.CharacterString("ISDN address");
                if (!w.AtEnd)
                {
                    w.CharacterString("subaddress");
                }

                break;
            case "X25":
                var address = w.CharacterString("PSDN address");
                if (address.Length < 4 || !address.All(char.IsAsciiDigit))
                {
                    throw new WireFormatException("an X25 PSDN address is at least four digits");
                }

                break;
            case "GPOS":
                w.CharacterString("longitude");
                w.CharacterString("latitude");
                w.CharacterString("altitude");
                break;
            case "NINFO" or "AVC" or "RESINFO" or "WALLET":
                do
                {
                    w.CharacterString("text");
                }
                while (!w.AtEnd);
                break;
            case "WKS":
                w.Octets(4, "address");
                w.U8("protocol");
                w.Rest("bit map", allowEmpty: true);
                break;
            case "A6":
                var prefix = w.U8("prefix length");
                if (prefix > 128)
                {
                    throw new WireFormatException($"the A6 prefix length {prefix} is over 128");
                }

                w.Octets(16 - (prefix / 8), "address suffix");
                if (prefix > 0)
                {
                    w.Name("prefix name");
                }

                break;
            case "LOC":
                Loc(w, octets);
                break;
            case "ATMA":
                var format = w.U8("format");
                var atm = w.Rest("address");
                if (format == 1 && !atm.All(b => char.IsAsciiDigit((char)b)))
                {
                    throw new WireFormatException("an E.164 ATM address is digits only");
                }

                break;
            case "CERT":
                w.U16("certificate type");
                w.U16("key tag");
                w.U8("algorithm");
                w.Rest("certificate");
                break;
            case "KEY":
                var flags = w.U16("flags");
                w.U8("protocol");
                w.U8("algorithm");
                w.Rest("public key", allowEmpty: (flags & 0xC000) == 0xC000);
                break;
            case "RKEY":
                w.U16("flags");
                w.U8("protocol");
                w.U8("algorithm");
                w.Rest("public key");
                break;
            case "SIG":
                w.U16("type covered");
                w.U8("algorithm");
                w.U8("labels");
                w.U32("original TTL");
                w.U32("signature expiration");
                w.U32("signature inception");
                w.U16("key tag");
                w.Name("signer's name");
                w.Rest("signature");
                break;
            case "NXT":
                w.Name("next name");
                w.Rest("type bit map", allowEmpty: true);
                break;
            case "SINK":
                w.U8("meaning");
                w.U8("coding");
                w.U8("subcoding");
                w.Rest("data", allowEmpty: true);
                break;
            case "APL":
                while (!w.AtEnd)
                {
                    AplItem(w);
                }

                break;
            case "IPSECKEY":
                w.U8("precedence");
                var gatewayType = w.U8("gateway type");
                w.U8("algorithm");
                Relay(w, gatewayType, "gateway");
                w.Rest("public key");
                break;
            case "HIP":
                var hitLength = w.U8("HIT length");
                w.U8("algorithm");
                var keyLength = w.U16("public key length");
                if (hitLength == 0 || keyLength == 0)
                {
                    throw new WireFormatException("the HIP HIT and public key must not be empty");
                }

                w.Octets(hitLength, "HIT");
                w.Octets(keyLength, "public key");
                while (!w.AtEnd)
                {
                    w.Name("rendezvous server");
                }

                break;
            case "CSYNC":
                w.U32("SOA serial");
                w.U16("flags");
                w.TypeBitmap(allowEmpty: true);
                break;
            case "ZONEMD":
                w.U32("SOA serial");
                w.U8("scheme");
                var hash = w.U8("hash algorithm");
                var digest = w.Rest("digest");
                var (length, exact) = hash switch { 1 => (48, true), 2 => (64, true), _ => (12, false) };
                if (exact ? digest.Length != length : digest.Length < length)
                {
                    throw new WireFormatException($"a ZONEMD digest of hash algorithm {hash} is {(exact ? "" : "at least ")}{length} octets; this one has {digest.Length}");
                }

                break;
            case "DSYNC":
                w.U16("RR type");
                w.U8("scheme");
                w.U16("port");
                w.Name("target");
                break;
            case "NID" or "L64":
                w.U16("preference");
                w.Octets(8, "locator");
                break;
            case "L32":
                w.U16("preference");
                w.Octets(4, "locator");
                break;
            case "EUI48":
                w.Octets(6, "address");
                break;
            case "EUI64":
                w.Octets(8, "address");
                break;
            case "URI":
                w.U16("priority");
                w.U16("weight");
                w.Rest("target", allowEmpty: true);
                break;
            case "DOA":
                w.U32("enterprise");
                w.U32("type");
                w.U8("location");
                w.CharacterString("media type");
                w.Rest("data", allowEmpty: true);
                break;
            case "AMTRELAY":
                w.U8("precedence");
                var relayType = w.U8("relay type") & 0x7F;
                if (relayType > 3)
                {
                    throw new WireFormatException($"AMTRELAY relay type {relayType} is not 0–3");
                }

                Relay(w, relayType, "relay");
                break;
            case "TA":
                WireRdataDecoder.DecodeDs(w);
                break;
            default:
                w.Rest("data");
                break;
        }

        w.End();
        return new GenericData(octets);
    }

    /// <summary>A gateway or relay by its type (RFC 4025 §2.5, RFC 8777 §4.2.3): none, IPv4, IPv6 or a name.</summary>
    private static void Relay(WireReader w, int type, string what)
    {
        switch (type)
        {
            case 0:
                break;
            case 1:
                w.Octets(4, what);
                break;
            case 2:
                w.Octets(16, what);
                break;
            case 3:
                w.Name(what);
                break;
            default:
                throw new WireFormatException($"{what} type {type} is not 0–3");
        }
    }

    private static void AplItem(WireReader w)
    {
        var family = w.U16("address family");
        var prefix = w.U8("prefix");
        var length = w.U8("address length") & 0x7F;
        var address = w.Octets(length, "address");
        var (maxPrefix, maxLength) = family switch { 1 => (32, 4), 2 => (128, 16), _ => (255, 127) };
        if (prefix > maxPrefix || length > maxLength)
        {
            throw new WireFormatException($"APL item of family {family} has a prefix or address longer than the family allows");
        }

        // RFC 3123 §4: trailing zero octets are left out.
        if (length > 0 && address[^1] == 0)
        {
            throw new WireFormatException("an APL address ends in a zero octet (RFC 3123 §4 drops them)");
        }
    }

    /// <summary>RFC 1876 §2: version 0 is 16 octets with sizes as digit pairs and coordinates within the globe; other versions are opaque.</summary>
    private static void Loc(WireReader w, byte[] octets)
    {
        var version = w.U8("version");
        if (version != 0)
        {
            w.Rest("data", allowEmpty: true);
            return;
        }

        var fields = w.Octets(15, "size, precisions and coordinates");
        foreach (var size in fields.AsSpan(0, 3))
        {
            if (size >> 4 > 9 || (size & 0x0F) > 9)
            {
                throw new WireFormatException("a LOC size or precision is not a digit and a power of ten");
            }
        }

        const long Equator = 1L << 31;
        var latitude = BinaryPrimitives.ReadUInt32BigEndian(fields.AsSpan(3));
        var longitude = BinaryPrimitives.ReadUInt32BigEndian(fields.AsSpan(7));
        if (Math.Abs(latitude - Equator) > 90L * 3_600_000 || Math.Abs(longitude - Equator) > 180L * 3_600_000)
        {
            throw new WireFormatException("a LOC coordinate is beyond 90° of latitude or 180° of longitude");
        }

        _ = octets;
    }
}
