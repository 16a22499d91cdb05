using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>
/// The presentation syntax of the registered types this project keeps unparsed (rules do not read
/// them), checked field by field as BIND 9.18 reads them, so that a record BIND would refuse to load
/// is refused here too. The data is kept as the tokens it was written with.
/// </summary>
internal static class UnmodelledRdata
{
    public static UnparsedData Parse(RecordType type, RdataReader reader)
    {
        var start = reader.Position;
        Check(type, reader);
        reader.End();
        reader.Position = start;
        return new UnparsedData(reader.RestAsWritten());
    }

    private static void Check(RecordType type, RdataReader r)
    {
        switch (type.ToString())
        {
            case "MB" or "MG" or "MR" or "NSAP-PTR":
                r.Name("name");
                break;
            case "MINFO" or "RP" or "TALINK":
                r.Name("first name");
                r.Name("second name");
                break;
            case "AFSDB" or "RT" or "KX" or "LP":
                r.U16("preference");
                r.Name("name");
                break;
            case "PX":
                r.U16("preference");
                r.Name("MAP822 name");
                r.Name("MAPX400 name");
                break;
            case "ISDN":
                r.CharacterString("ISDN address");
                if (!r.AtEnd)
                {
                    r.CharacterString("subaddress");
                }

                break;
            case "X25":
                X25(r);
                break;
            case "GPOS":
                r.CharacterString("longitude");
                r.CharacterString("latitude");
                r.CharacterString("altitude");
                break;
            case "NINFO" or "AVC" or "RESINFO" or "WALLET":
                do
                {
                    r.CharacterString("text");
                }
                while (!r.AtEnd);
                break;
            case "NULL" or "UNSPEC":
                throw new ZoneSyntaxException(r.Location, $"{type} data can only be written in the RFC 3597 form: \\# <length> <hex>");
            case "WKS":
                Wks(r);
                break;
            case "A6":
                A6(r);
                break;
            case "LOC":
                LocText.Check(r);
                break;
            case "NSAP":
                Nsap(r);
                break;
            case "ATMA":
                Atma(r);
                break;
            case "EID" or "NIMLOC":
                r.HexRest("data");
                break;
            case "CERT":
                CertType(r);
                r.U16("key tag");
                r.Algorithm("algorithm");
                r.Base64Rest("certificate");
                break;
            case "KEY":
                var flags = KeyFlags(r);
                r.U8("protocol");
                r.Algorithm("algorithm");
                // RFC 2535 §3.1.2: with both "no key" bits set there is no key to follow.
                if ((flags & 0xC000) != 0xC000 || !r.AtEnd)
                {
                    r.Base64Rest("public key");
                }

                break;
            case "RKEY":
                r.U16("flags");
                r.U8("protocol");
                r.Algorithm("algorithm");
                r.Base64Rest("public key");
                break;
            case "SIG":
                RdataParser.ParseRrsig(r);
                break;
            case "TA":
                RdataParser.ParseDs(r);
                break;
            case "NXT":
                r.Name("next name");
                r.TypesRest();
                break;
            case "SINK":
                r.U8("meaning");
                r.U8("coding");
                r.U8("subcoding");
                if (!r.AtEnd)
                {
                    r.Base64Rest("data");
                }

                break;
            case "APL":
                while (!r.AtEnd)
                {
                    AplItem(r);
                }

                break;
            case "IPSECKEY":
                IpsecKey(r);
                break;
            case "DHCID" or "OPENPGPKEY":
                r.Base64Rest("data");
                break;
            case "HIP":
                Hip(r);
                break;
            case "CSYNC":
                r.U32("SOA serial");
                r.U16("flags");
                r.TypesRest();
                break;
            case "ZONEMD":
                Zonemd(r);
                break;
            case "DSYNC":
                Dsync(r);
                break;
            case "NID" or "L64":
                r.U16("preference");
                Locator64(r);
                break;
            case "L32":
                r.U16("preference");
                IPv4(r, "locator");
                break;
            case "EUI48":
                Eui(r, 6);
                break;
            case "EUI64":
                Eui(r, 8);
                break;
            case "DOA":
                r.U32("enterprise");
                r.U32("type");
                r.U8("location");
                r.CharacterString("media type");
                var data = r.NextToken("data");
                if (r.Text(data) is not "-")
                {
                    r.Position--;
                    r.Base64Rest("data");
                }

                break;
            case "AMTRELAY":
                AmtRelay(r);
                break;
            default:
                // A registered type whose syntax is not checked here: it must at least have data.
                if (r.AtEnd)
                {
                    throw new ZoneSyntaxException(r.Location, $"the {type} record has no data");
                }

                r.RestAsWritten();
                break;
        }
    }

    private static void X25(RdataReader r)
    {
        var token = r.Peek();
        var address = r.CharacterString("PSDN address");
        // RFC 1183 §3.1: at least four digits, digits only.
        if (address.Length < 4 || !address.All(char.IsAsciiDigit))
        {
            throw r.Error(token, "an X25 PSDN address is at least four digits");
        }
    }

    private static void Wks(RdataReader r)
    {
        IPv4(r, "address");
        var protocol = r.NextToken("protocol");
        var text = r.Text(protocol).ToString().ToLowerInvariant();
        if (text is not ("tcp" or "udp") && !(byte.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw r.Error(protocol, $"'{text}' is not a protocol (tcp, udp or a number 0–255)");
        }

        while (!r.AtEnd)
        {
            var service = r.NextToken("service");
            var name = r.Text(service);
            if (char.IsAsciiDigit(name[0])
                ? !ushort.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out _)
                : name.ContainsAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"))
            {
                throw r.Error(service, $"'{name}' is not a port (0–65535) or service name");
            }
        }
    }

    private static void A6(RdataReader r)
    {
        var prefix = r.Number("prefix length", 128);
        if (prefix < 128)
        {
            IPv6(r, "address suffix");
        }

        if (prefix > 0)
        {
            r.Name("prefix name");
        }
    }

    private static void Nsap(RdataReader r)
    {
        var token = r.NextToken("NSAP address");
        var text = r.Text(token);
        // RFC 1706 §5: "0x" and an even number of hex digits, dots allowed between them.
        var digits = text.Length > 2 && text[..2].Equals("0x", StringComparison.OrdinalIgnoreCase) ? text[2..].ToString().Replace(".", "", StringComparison.Ordinal) : "";
        if (digits.Length == 0 || digits.Length % 2 != 0 || !digits.All(char.IsAsciiHexDigit))
        {
            throw r.Error(token, $"'{text}' is not an NSAP address (0x followed by pairs of hex digits)");
        }
    }

    private static void Atma(RdataReader r)
    {
        var token = r.NextToken("ATM address");
        var text = r.Text(token);
        // An E.164 number (+ and digits) or an NSAP address in hex (pairs of digits, dots allowed).
        var valid = text.Length > 1 && text[0] == '+'
            ? text[1..].ToString().Replace(".", "", StringComparison.Ordinal) is { Length: > 0 } e164 && e164.All(char.IsAsciiDigit)
            : text.ToString().Replace(".", "", StringComparison.Ordinal) is { Length: > 0 } hex && hex.Length % 2 == 0 && hex.All(char.IsAsciiHexDigit);
        if (!valid)
        {
            throw r.Error(token, $"'{text}' is not an ATM address (+ and an E.164 number, or hex digits in pairs)");
        }
    }

    private static void CertType(RdataReader r)
    {
        var token = r.Peek();
        var text = r.Text(token).ToString().ToUpperInvariant();
        if (text is "PKIX" or "SPKI" or "PGP" or "IPKIX" or "ISPKI" or "IPGP" or "ACPKIX" or "IACPKIX" or "URI" or "OID")
        {
            r.NextToken("certificate type");
            return;
        }

        if (!char.IsAsciiDigit(text[0]))
        {
            throw r.Error(token, $"'{text}' is not a certificate type (RFC 4398 §2.1)");
        }

        r.U16("certificate type");
    }

    private static ushort KeyFlags(RdataReader r)
    {
        var token = r.Peek();
        var text = r.Text(token);
        if (text.Length > 0 && char.IsAsciiDigit(text[0]))
        {
            return r.U16("flags");
        }

        r.NextToken("flags");
        // BIND's mnemonics (RFC 2535 §7.1), joined with '|'.
        ushort flags = 0;
        foreach (var part in text.ToString().ToUpperInvariant().Split('|'))
        {
            flags |= part switch
            {
                "NOCONF" => 0x4000,
                "NOAUTH" => 0x8000,
                "NOKEY" => 0xC000,
                "FLAG2" => 0x2000,
                "EXTEND" => 0x1000,
                "FLAG4" => 0x0800,
                "FLAG5" => 0x0400,
                "USER" => 0x0000,
                "ZONE" => 0x0100,
                "HOST" => 0x0200,
                "NTYP3" => 0x0300,
                "FLAG8" => 0x0080,
                "FLAG9" => 0x0040,
                "FLAG10" => 0x0020,
                "FLAG11" => 0x0010,
                "SIG0" => 0x0000,
                "SIG1" => 0x0001,
                "SIG2" => 0x0002,
                "SIG3" => 0x0003,
                "SIG4" => 0x0004,
                "SIG5" => 0x0005,
                "SIG6" => 0x0006,
                "SIG7" => 0x0007,
                "SIG8" => 0x0008,
                "SIG9" => 0x0009,
                "SIG10" => 0x000A,
                "SIG11" => 0x000B,
                "SIG12" => 0x000C,
                "SIG13" => 0x000D,
                "SIG14" => 0x000E,
                "SIG15" => 0x000F,
                _ => throw r.Error(token, $"'{part}' is not a KEY flag"),
            };
        }

        return flags;
    }

    private static void AplItem(RdataReader r)
    {
        var token = r.NextToken("address prefix");
        var text = r.Text(token);
        var item = text.Length > 0 && text[0] == '!' ? text[1..] : text;
        var colon = item.IndexOf(':');
        var slash = item.LastIndexOf('/');
        if (colon <= 0 || slash < colon
            || !ushort.TryParse(item[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var family)
            || !byte.TryParse(item[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            throw r.Error(token, $"'{text}' is not an APL item ([!]family:address/prefix)");
        }

        var address = item[(colon + 1)..slash];
        var (ok, max) = family switch
        {
            1 => (IsIPv4(address), 32),
            2 => (address.Contains(':') && IPAddress.TryParse(address, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6, 128),
            _ => throw r.Error(token, $"APL address family {family} is not 1 (IPv4) or 2 (IPv6)"),
        };
        if (!ok)
        {
            throw r.Error(token, $"'{address}' is not an address of APL family {family}");
        }

        if (prefix > max)
        {
            throw r.Error(token, $"APL prefix /{prefix} is longer than {max} bits");
        }
    }

    private static void IpsecKey(RdataReader r)
    {
        r.U8("precedence");
        var gatewayType = r.Number("gateway type", 3);
        r.Algorithm("algorithm");
        switch (gatewayType)
        {
            case 0:
                var none = r.NextToken("gateway");
                if (r.Text(none) is not ".")
                {
                    throw r.Error(none, "gateway type 0 (none) is written as '.'");
                }

                break;
            case 1:
                IPv4(r, "gateway");
                break;
            case 2:
                IPv6(r, "gateway");
                break;
            default:
                r.Name("gateway");
                break;
        }

        r.Base64Rest("public key");
    }

    private static void Hip(RdataReader r)
    {
        r.U8("algorithm");
        var hit = r.NextToken("HIT");
        var hex = r.Text(hit);
        if (hex.Length == 0 || hex.Length % 2 != 0 || hex.Length > 510 || !hex.ToString().All(char.IsAsciiHexDigit))
        {
            throw r.Error(hit, "the HIT is not hexadecimal");
        }

        var key = r.NextToken("public key");
        try
        {
            Convert.FromBase64String(r.Text(key).ToString());
        }
        catch (FormatException)
        {
            throw r.Error(key, "the public key is not valid base64");
        }

        while (!r.AtEnd)
        {
            r.Name("rendezvous server");
        }
    }

    private static void Zonemd(RdataReader r)
    {
        r.U32("SOA serial");
        r.U8("scheme");
        var hashToken = r.Peek();
        var hash = r.U8("hash algorithm");
        var digest = r.HexRest("digest");
        // RFC 8976 §2.2.4: SHA-384 is 48 octets, SHA-512 64; any other digest at least 12.
        var (length, exact) = hash switch { 1 => (48, true), 2 => (64, true), _ => (12, false) };
        if (exact ? digest.Length != length : digest.Length < length)
        {
            throw r.Error(hashToken, $"a ZONEMD digest of hash algorithm {hash} is {(exact ? "" : "at least ")}{length} octets; this one has {digest.Length}");
        }
    }

    private static void Dsync(RdataReader r)
    {
        var typeToken = r.NextToken("RR type");
        if (!RecordType.TryParse(r.Text(typeToken), out _))
        {
            throw r.Error(typeToken, $"'{r.Text(typeToken)}' is not a record type");
        }

        var scheme = r.Peek();
        if (r.Text(scheme).Equals("NOTIFY", StringComparison.OrdinalIgnoreCase))
        {
            r.NextToken("scheme");
        }
        else
        {
            r.U8("scheme");
        }

        r.U16("port");
        r.Name("target");
    }

    private static void Locator64(RdataReader r)
    {
        var token = r.NextToken("locator");
        var groups = r.Text(token).ToString().Split(':');
        if (groups.Length != 4 || groups.Any(g => g.Length is 0 or > 4 || !g.All(char.IsAsciiHexDigit)))
        {
            throw r.Error(token, $"'{r.Text(token)}' is not four groups of 1–4 hex digits separated by ':'");
        }
    }

    private static void Eui(RdataReader r, int octets)
    {
        var token = r.NextToken("address");
        var groups = r.Text(token).ToString().Split('-');
        if (groups.Length != octets || groups.Any(g => g.Length is 0 or > 2 || !g.All(char.IsAsciiHexDigit)))
        {
            throw r.Error(token, $"'{r.Text(token)}' is not {octets} hex octets separated by '-'");
        }
    }

    private static void AmtRelay(RdataReader r)
    {
        r.U8("precedence");
        r.Number("discovery optional bit", 1);
        var typeToken = r.Peek();
        var relayType = r.Number("relay type", 255);
        switch (relayType)
        {
            case 0:
                var none = r.NextToken("relay");
                if (r.Text(none) is not ".")
                {
                    throw r.Error(none, "relay type 0 (none) is written as '.'");
                }

                break;
            case 1:
                IPv4(r, "relay");
                break;
            case 2:
                IPv6(r, "relay");
                break;
            case 3:
                r.Name("relay");
                break;
            default:
                throw r.Error(typeToken, $"relay type {relayType} is not 0–3 (RFC 8777)");
        }
    }

    internal static bool IsIPv4(ReadOnlySpan<char> text)
    {
        var parts = text.ToString().Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && (p.Length == 1 || p[0] != '0') && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }

    private static void IPv4(RdataReader r, string what)
    {
        var token = r.NextToken(what);
        if (!IsIPv4(r.Text(token)))
        {
            throw r.Error(token, $"the {what} '{r.Text(token)}' is not an IPv4 address");
        }
    }

    private static void IPv6(RdataReader r, string what)
    {
        var token = r.NextToken(what);
        var text = r.Text(token);
        if (!text.Contains(':') || text.Contains('%') || !IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw r.Error(token, $"the {what} '{text}' is not an IPv6 address");
        }
    }
}
