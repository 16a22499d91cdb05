using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>Turns the data part of a master-file entry into typed <see cref="RecordData"/>.</summary>
internal static class RdataParser
{
    /// <summary>
    /// Checks the data as <see cref="Parse"/> does — the same errors, in the same order — for a record that is
    /// not kept: the commonest types (A, TXT, MX) are checked without making their data objects.
    /// </summary>
    public static void Check(RecordType type, RdataReader reader)
    {
        if (type.Value is not (RecordType.Codes.A or RecordType.Codes.TXT or RecordType.Codes.SPF or RecordType.Codes.MX)
            || (!reader.AtEnd && !reader.Peek().Quoted && reader.PeekText() is @"\#"))
        {
            Parse(type, reader);
            return;
        }

        switch (type.Value)
        {
            case RecordType.Codes.A:
                ParseIPv4Value(reader);
                break;
            case RecordType.Codes.MX:
                reader.U16("preference");
                reader.CheckName("mail exchange name");
                break;
            default:
                do
                {
                    reader.CheckCharacterString("text");
                }
                while (!reader.AtEnd);
                break;
        }

        reader.End();
    }

    public static RecordData Parse(RecordType type, RdataReader reader)
    {
        if (type.Value is 3 or 4)
        {
            // BIND refuses these in any form, before it reads their data.
            throw new ZoneSyntaxException(reader.Location, $"type {type} is obsolete (RFC 973); use MX");
        }

        if (!reader.AtEnd && !reader.Peek().Quoted && reader.PeekText() is @"\#")
        {
            return ParseGeneric(type, reader);
        }

        RecordData data = type.Value switch
        {
            RecordType.Codes.A => new AddressData(ParseIPv4(reader)),
            RecordType.Codes.AAAA => new AddressData(ParseIPv6(reader)),
            RecordType.Codes.NS or RecordType.Codes.CNAME or RecordType.Codes.PTR or RecordType.Codes.DNAME => new NameData(reader.Name("target name")),
            RecordType.Codes.SOA => new SoaData(reader.Name("primary server name (MNAME)"), reader.Name("mailbox (RNAME)"), reader.U32("serial"),
                reader.Duration("refresh"), reader.Duration("retry"), reader.Duration("expire"), reader.Duration("minimum")),
            RecordType.Codes.MX => new MxData(reader.U16("preference"), reader.Name("mail exchange name")),
            RecordType.Codes.TXT or RecordType.Codes.SPF => ParseTxt(reader),
            RecordType.Codes.HINFO => new HinfoData(reader.CharacterString("CPU"), reader.CharacterString("OS")),
            RecordType.Codes.SRV => new SrvData(reader.U16("priority"), reader.U16("weight"), reader.U16("port"), reader.Name("target name")),
            RecordType.Codes.CAA => ParseCaa(reader),
            RecordType.Codes.DS or RecordType.Codes.CDS or RecordType.Codes.DLV => ParseDs(reader),
            RecordType.Codes.DNSKEY or RecordType.Codes.CDNSKEY => new DnsKeyData(reader.U16("flags"), reader.U8("protocol"), reader.Algorithm("algorithm"), reader.Base64Rest("public key")),
            RecordType.Codes.RRSIG => ParseRrsig(reader),
            RecordType.Codes.NSEC => new NsecData(reader.Name("next owner name"), reader.TypesRest(atLeastOne: true)),
            RecordType.Codes.NSEC3 => ParseNsec3(reader),
            RecordType.Codes.NSEC3PARAM => new Nsec3ParamData(reader.U8("hash algorithm"), reader.U8("flags"), reader.U16("iterations"), ParseSalt(reader)),
            RecordType.Codes.TLSA or RecordType.Codes.SMIMEA => new TlsaData(reader.U8("certificate usage"), reader.U8("selector"), reader.U8("matching type"), reader.HexRest("certificate association data")),
            RecordType.Codes.SSHFP => ParseSshfp(reader),
            RecordType.Codes.NAPTR => new NaptrData(reader.U16("order"), reader.U16("preference"), reader.CharacterString("flags"),
                reader.CharacterString("services"), reader.CharacterString("regexp"), reader.Name("replacement")),
            RecordType.Codes.SVCB or RecordType.Codes.HTTPS => ParseSvcb(reader),
            RecordType.Codes.URI => ParseUri(reader),
            _ when type.IsKnown => UnmodelledRdata.Parse(type, reader),
            _ => throw new ZoneSyntaxException(reader.Location,
                $"data of the unknown type {type} must be written in the RFC 3597 form: \\# <length> <hex>"),
        };
        reader.End();
        return data;
    }

    private static IPAddress ParseIPv4(RdataReader reader) => new(ParseIPv4Value(reader));

    private static long ParseIPv4Value(RdataReader reader)
    {
        var token = reader.NextToken("IPv4 address");
        var text = reader.Text(token);
        // Strictly four decimal parts of 0–255, as inet_pton (and so BIND) reads them: no "10.1" shorthand.
        long address = 0;
        int part = 0, digits = 0, parts = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c) && digits < 3 && !(digits == 1 && part == 0))
            {
                part = (part * 10) + (c - '0');
                digits++;
            }
            else if (c == '.' && digits > 0 && part <= 255 && parts < 3)
            {
                address |= (long)part << (8 * parts++);
                part = digits = 0;
            }
            else
            {
                parts = -1;
                break;
            }
        }

        if (parts != 3 || digits == 0 || part > 255)
        {
            throw reader.Error(token, $"'{text}' is not an IPv4 address (four numbers 0–255 separated by dots)");
        }

        return address | ((long)part << 24);
    }

    private static IPAddress ParseIPv6(RdataReader reader)
    {
        var token = reader.NextToken("IPv6 address");
        var text = reader.Text(token);
        if (text.IndexOf(':') < 0 || text.IndexOf('%') >= 0 || !IPAddress.TryParse(text, out var address)
            || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw reader.Error(token, $"'{text}' is not an IPv6 address");
        }

        return address;
    }

    private static TxtData ParseTxt(RdataReader reader)
    {
        var strings = new List<string>();
        do
        {
            strings.Add(reader.CharacterString("text"));
        }
        while (!reader.AtEnd);
        return new TxtData(strings);
    }

    private static CaaData ParseCaa(RdataReader reader)
    {
        var flags = reader.U8("flags");
        var tagToken = reader.NextToken("tag");
        var tag = reader.Text(tagToken);
        // RFC 8659 §4.1: the tag is ASCII letters and digits only. BIND refuses anything else too.
        if (tagToken.Quoted || tag.Length == 0 || !IsLettersAndDigits(tag))
        {
            throw reader.Error(tagToken, $"CAA tag '{tag}' may contain only letters and digits");
        }

        var value = reader.CharacterString("value", int.MaxValue);
        return new CaaData(flags, tag.ToString(), value);
    }

    private static bool IsLettersAndDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    internal static DsData ParseDs(RdataReader reader)
    {
        var keyTag = reader.U16("key tag");
        var algorithm = reader.Algorithm("algorithm");
        var digestTypeToken = reader.Peek();
        var digestType = reader.U8("digest type");
        var digest = reader.HexRest("digest");
        CheckDigestLength(reader, digestTypeToken, digestType, digest.Length, DsDigestLength);
        return new DsData(keyTag, algorithm, digestType, digest);
    }

    private static SshfpData ParseSshfp(RdataReader reader)
    {
        var algorithm = reader.U8("algorithm");
        var typeToken = reader.Peek();
        var fingerprintType = reader.U8("fingerprint type");
        var fingerprint = reader.AtEnd ? [] : reader.HexRest("fingerprint");
        CheckDigestLength(reader, typeToken, fingerprintType, fingerprint.Length, SshfpDigestLength);
        return new SshfpData(algorithm, fingerprintType, fingerprint);
    }

    // Digest lengths are fixed by the digest type; BIND refuses a wrong length, and so do resolvers.
    private static int DsDigestLength(byte type) => type switch { 1 => 20, 2 => 32, 3 => 32, 4 => 48, _ => 0 };

    private static int SshfpDigestLength(byte type) => type switch { 1 => 20, 2 => 32, _ => 0 };

    private static void CheckDigestLength(RdataReader reader, Token token, byte type, int actual, Func<byte, int> expectedFor)
    {
        var expected = expectedFor(type);
        if (expected != 0 && expected != actual)
        {
            throw reader.Error(token, $"digest type {type} needs a {expected}-octet digest ({expected * 2} hex digits); this one has {actual}");
        }
    }

    internal static RrsigData ParseRrsig(RdataReader reader)
    {
        var coveredToken = reader.NextToken("type covered");
        var coveredText = reader.Text(coveredToken);
        if (!RecordType.TryParse(coveredText, out var covered))
        {
            throw reader.Error(coveredToken, $"'{coveredText}' is not a record type");
        }

        return new RrsigData(covered, reader.Algorithm("algorithm"), reader.U8("labels"), reader.U32("original TTL"),
            reader.Time("signature expiration"), reader.Time("signature inception"), reader.U16("key tag"),
            reader.Name("signer's name"), reader.Base64Rest("signature"));
    }

    private static Nsec3Data ParseNsec3(RdataReader reader)
    {
        var algorithm = reader.U8("hash algorithm");
        var flags = reader.U8("flags");
        var iterations = reader.U16("iterations");
        var salt = ParseSalt(reader);
        var nextToken = reader.NextToken("next hashed owner name");
        var next = reader.Text(nextToken).ToString().ToUpperInvariant();
        if (next.Length == 0 || next.Length % 8 is 1 or 3 or 6 || next.Any(c => !(char.IsAsciiDigit(c) || c is >= 'A' and <= 'V')))
        {
            throw reader.Error(nextToken, $"next hashed owner name '{next}' is not base32hex (RFC 4648 §7)");
        }

        // RFC 5155 §3.1.5: the hash of algorithm 1 (SHA-1) is 20 octets, 32 base32hex digits.
        if (algorithm == 1 && next.Length != 32)
        {
            throw reader.Error(nextToken, $"a SHA-1 next hashed owner name is 32 base32hex digits; this one has {next.Length}");
        }

        return new Nsec3Data(algorithm, flags, iterations, salt, next, reader.TypesRest());
    }

    private static byte[] ParseSalt(RdataReader reader)
    {
        var token = reader.NextToken("salt");
        var text = reader.Text(token);
        return text is "-" ? [] : reader.DecodeHex(text.ToString(), token, "salt");
    }

    private static SvcbData ParseSvcb(RdataReader reader)
    {
        var priority = reader.U16("priority");
        var target = reader.Name("target name");
        var parameters = new SortedDictionary<ushort, SvcParam>();
        Token? mandatoryToken = null;
        Token? last = null;
        while (!reader.AtEnd)
        {
            var token = reader.NextToken("parameter");
            last = token;
            var text = reader.Text(token).ToString();
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            var keyText = equals < 0 ? text : text[..equals];
            string? value = null;
            if (equals >= 0)
            {
                // key="quoted value" arrives as two tokens: 'key=' and the quoted string right after it.
                value = equals == text.Length - 1 && !reader.AtEnd && reader.Peek().Quoted && reader.Peek().Start == token.Start + token.Length + 1
                    ? reader.CharacterString("parameter value", int.MaxValue)
                    : reader.DecodeOctets(text.AsSpan(equals + 1), token);
            }

            var key = SvcParamKey(keyText) ?? throw reader.Error(token, $"'{keyText}' is not an SVCB parameter key");
            if (SvcParamProblem(key, value) is { } problem)
            {
                throw reader.Error(token, $"parameter '{keyText}': {problem}");
            }

            if (!parameters.TryAdd(key, new SvcParam(key, value)))
            {
                throw reader.Error(token, $"parameter '{keyText}' appears twice");
            }

            if (key == 0)
            {
                mandatoryToken = token;
            }
        }

        CheckSvcbKeysTogether(reader, parameters, mandatoryToken, last);

        return new SvcbData(priority, target, parameters.Values.ToArray());
    }

    /// <summary>
    /// RFC 9460 §8: the keys named by <c>mandatory</c> must be present (and not <c>mandatory</c> itself), and
    /// <c>no-default-alpn</c> needs <c>alpn</c>; BIND refuses both.
    /// </summary>
    private static void CheckSvcbKeysTogether(RdataReader reader, SortedDictionary<ushort, SvcParam> parameters, Token? mandatoryToken, Token? last)
    {
        if (mandatoryToken is { } at && parameters[0].Value is { } list)
        {
            var named = new HashSet<ushort>();
            foreach (var name in list.Split(','))
            {
                var key = SvcParamKey(name) ?? throw reader.Error(at, $"mandatory names '{name}', which is not an SVCB parameter key");
                if (key == 0 || !parameters.ContainsKey(key) || !named.Add(key))
                {
                    throw reader.Error(at, key == 0 ? "mandatory may not list itself" : !named.Contains(key) ? $"mandatory names '{name}', which the record does not have" : $"mandatory names '{name}' twice");
                }
            }
        }

        if (parameters.ContainsKey(2) && !parameters.ContainsKey(1) && last is { } end)
        {
            throw reader.Error(end, "no-default-alpn needs an alpn parameter beside it");
        }
    }

    /// <summary>What is wrong with a value of a key whose format RFC 9460 §7 fixes (BIND checks these too); null when nothing.</summary>
    private static string? SvcParamProblem(ushort key, string? value) => key switch
    {
        0 or 1 when string.IsNullOrEmpty(value) => "needs a value",
        2 when value is not null => "takes no value",
        3 when !ushort.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _) => $"'{value}' is not a port number (0–65535)",
        4 when string.IsNullOrEmpty(value) || value.Split(',').Any(a => !IPAddress.TryParse(a, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork || a.Count(c => c == '.') != 3)
            => "needs IPv4 addresses separated by commas",
        6 when string.IsNullOrEmpty(value) || value.Split(',').Any(a => !a.Contains(':', StringComparison.Ordinal) || !IPAddress.TryParse(a, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
            => "needs IPv6 addresses separated by commas",
        _ => null,
    };

    /// <summary>URI (RFC 7553 §4.5): priority, weight, and the target as one quoted string.</summary>
    private static UnparsedData ParseUri(RdataReader reader)
    {
        var priority = reader.U16("priority");
        var weight = reader.U16("weight");
        var target = reader.NextToken("target");
        if (!target.Quoted)
        {
            throw reader.Error(target, "the URI target must be in double quotes");
        }

        var text = reader.Text(target).ToString();
        return new UnparsedData(string.Create(CultureInfo.InvariantCulture, $"{priority} {weight} \"{text}\""));
    }

    private static ushort? SvcParamKey(string text) => text.ToLowerInvariant() switch
    {
        "mandatory" => 0,
        "alpn" => 1,
        "no-default-alpn" => 2,
        "port" => 3,
        "ipv4hint" => 4,
        "ech" => 5,
        "ipv6hint" => 6,
        "dohpath" => 7,
        "ohttp" => 8,
        var other when other.StartsWith("key", StringComparison.Ordinal)
            && ushort.TryParse(other.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
        _ => null,
    };

    /// <summary>
    /// RFC 3597 §5: <c>\# length hex</c>. The octets of a known type are read as its wire format and
    /// refused when they do not fit, as BIND does (<c>A \# 0</c> is not an address).
    /// </summary>
    private static RecordData ParseGeneric(RecordType type, RdataReader reader)
    {
        var marker = reader.NextToken("\\#");
        var lengthToken = reader.AtEnd ? marker : reader.Peek();
        var length = reader.U16("data length (RFC 3597: \\# <length> <hex>)");
        var octets = length == 0 ? [] : reader.HexRest("data");
        reader.End();
        if (octets.Length != length)
        {
            throw reader.Error(lengthToken, $"the data length says {length} octets but {octets.Length} follow");
        }

        try
        {
            return WireRdataDecoder.Decode(type, octets);
        }
        catch (WireFormatException error)
        {
            throw reader.Error(marker, $"{error.Message} (RFC 3597 data of a known type must be that type's wire format)");
        }
    }
}
