using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>
/// Decodes the uncompressed wire-format RDATA of RFC 3597 <c>\#</c> text. RFC 3597 §5 lets a known type
/// be written generically, and BIND then reads the octets as that type's wire format and refuses what
/// does not fit (<c>NS \# 0</c> is "unexpected end of input"); so does this. A type modelled here always
/// comes out as its typed data, never as <see cref="GenericData"/>, so readers of an NS record can rely
/// on a <see cref="NameData"/>. Unknown types keep their octets.
/// </summary>
internal static class WireRdataDecoder
{
    /// <summary>Decodes the octets as the type's wire format; throws <see cref="WireFormatException"/> with the reason when they do not fit.</summary>
    public static RecordData Decode(RecordType type, byte[] octets)
    {
        var wire = new WireReader(octets, type);
        RecordData data = type.Value switch
        {
            RecordType.Codes.A => new AddressData(new IPAddress(wire.Octets(4, "IPv4 address"))),
            RecordType.Codes.AAAA => new AddressData(new IPAddress(wire.Octets(16, "IPv6 address"))),
            RecordType.Codes.NS or RecordType.Codes.CNAME or RecordType.Codes.PTR or RecordType.Codes.DNAME => new NameData(wire.Name("target name")),
            RecordType.Codes.SOA => new SoaData(wire.Name("primary server name"), wire.Name("mailbox"), wire.U32("serial"), wire.U32("refresh"),
                wire.U32("retry"), wire.U32("expire"), wire.U32("minimum")),
            RecordType.Codes.MX => new MxData(wire.U16("preference"), wire.Name("mail exchange name")),
            RecordType.Codes.TXT or RecordType.Codes.SPF => DecodeTxt(wire),
            RecordType.Codes.HINFO => new HinfoData(wire.CharacterString("CPU"), wire.CharacterString("OS")),
            RecordType.Codes.SRV => new SrvData(wire.U16("priority"), wire.U16("weight"), wire.U16("port"), wire.Name("target name")),
            RecordType.Codes.CAA => DecodeCaa(wire),
            RecordType.Codes.DS or RecordType.Codes.CDS or RecordType.Codes.DLV => DecodeDs(wire),
            RecordType.Codes.DNSKEY or RecordType.Codes.CDNSKEY => new DnsKeyData(wire.U16("flags"), wire.U8("protocol"), wire.U8("algorithm"), wire.Rest("public key")),
            RecordType.Codes.RRSIG => new RrsigData(new RecordType(wire.U16("type covered")), wire.U8("algorithm"), wire.U8("labels"), wire.U32("original TTL"),
                wire.U32("signature expiration"), wire.U32("signature inception"), wire.U16("key tag"), wire.Name("signer's name"), wire.Rest("signature")),
            RecordType.Codes.NSEC => new NsecData(wire.Name("next owner name"), wire.TypeBitmap(allowEmpty: false)),
            RecordType.Codes.NSEC3 => DecodeNsec3(wire),
            RecordType.Codes.NSEC3PARAM => new Nsec3ParamData(wire.U8("hash algorithm"), wire.U8("flags"), wire.U16("iterations"), wire.Octets(wire.U8("salt length"), "salt")),
            RecordType.Codes.TLSA or RecordType.Codes.SMIMEA => new TlsaData(wire.U8("certificate usage"), wire.U8("selector"), wire.U8("matching type"),
                wire.Rest("certificate association data")),
            RecordType.Codes.SSHFP => DecodeSshfp(wire),
            RecordType.Codes.NAPTR => new NaptrData(wire.U16("order"), wire.U16("preference"), wire.CharacterString("flags"), wire.CharacterString("services"),
                wire.CharacterString("regexp"), wire.Name("replacement")),
            RecordType.Codes.SVCB or RecordType.Codes.HTTPS => DecodeSvcb(wire),
            // The octets are kept whole: no fields, so nothing can be left over.
            _ when type.IsKnown => UnmodelledWire.Check(type, new WireReader(octets, type), octets),
            _ => new GenericData(octets),
        };
        if (data is not GenericData)
        {
            wire.End();
        }

        return data;
    }

    private static TxtData DecodeTxt(WireReader wire)
    {
        var strings = new List<string> { wire.CharacterString("text") };
        while (!wire.AtEnd)
        {
            strings.Add(wire.CharacterString("text"));
        }

        return new TxtData(strings);
    }

    private static CaaData DecodeCaa(WireReader wire)
    {
        // RFC 8659 §4.1: flags (1), tag length (1), tag of letters and digits, value (the rest).
        var flags = wire.U8("flags");
        var tagLength = wire.U8("tag length");
        var tag = Encoding.Latin1.GetString(wire.Octets(tagLength, "tag"));
        if (tag.Length == 0 || !tag.All(char.IsAsciiLetterOrDigit))
        {
            throw new WireFormatException($"the CAA tag '{tag}' must be one or more letters and digits");
        }

        return new CaaData(flags, tag, Encoding.Latin1.GetString(wire.Rest("value", allowEmpty: true)));
    }

    internal static DsData DecodeDs(WireReader wire)
    {
        var keyTag = wire.U16("key tag");
        var algorithm = wire.U8("algorithm");
        var digestType = wire.U8("digest type");
        var digest = wire.Rest("digest");
        var expected = digestType switch { 1 => 20, 2 or 3 => 32, 4 => 48, _ => 0 };
        if (expected != 0 && digest.Length != expected)
        {
            throw new WireFormatException($"digest type {digestType} needs a {expected}-octet digest; this one has {digest.Length}");
        }

        return new DsData(keyTag, algorithm, digestType, digest);
    }

    private static SshfpData DecodeSshfp(WireReader wire)
    {
        var algorithm = wire.U8("algorithm");
        var fingerprintType = wire.U8("fingerprint type");
        var fingerprint = wire.Rest("fingerprint", allowEmpty: true);
        var expected = fingerprintType switch { 1 => 20, 2 => 32, _ => 0 };
        if (expected != 0 && fingerprint.Length != expected)
        {
            throw new WireFormatException($"fingerprint type {fingerprintType} needs a {expected}-octet fingerprint; this one has {fingerprint.Length}");
        }

        return new SshfpData(algorithm, fingerprintType, fingerprint);
    }

    private static Nsec3Data DecodeNsec3(WireReader wire)
    {
        var algorithm = wire.U8("hash algorithm");
        var flags = wire.U8("flags");
        var iterations = wire.U16("iterations");
        var salt = wire.Octets(wire.U8("salt length"), "salt");
        var hashLength = wire.U8("hash length");
        if (hashLength == 0 || (algorithm == 1 && hashLength != 20))
        {
            throw new WireFormatException(hashLength == 0 ? "the next hashed owner name is empty" : "a SHA-1 next hashed owner name is 20 octets");
        }

        var next = DnsSec.Base32Hex.Encode(wire.Octets(hashLength, "next hashed owner name"));
        return new Nsec3Data(algorithm, flags, iterations, salt, next, wire.TypeBitmap(allowEmpty: true));
    }

    private static SvcbData DecodeSvcb(WireReader wire)
    {
        var priority = wire.U16("priority");
        var target = wire.Name("target name");
        var parameters = new List<SvcParam>();
        byte[] mandatory = [];
        var previous = -1;
        while (!wire.AtEnd)
        {
            var key = wire.U16("parameter key");
            var value = wire.Octets(wire.U16("parameter length"), "parameter value");
            // RFC 9460 §2.2: keys in strictly increasing order, each value in its key's format.
            if (key <= previous)
            {
                throw new WireFormatException($"SVCB parameter key {key} is out of order or repeated");
            }

            previous = key;
            parameters.Add(new SvcParam(key, SvcParamValue(key, value)));
            if (key == 0)
            {
                mandatory = value;
            }
        }

        // RFC 9460 §8: the keys mandatory names are present (and are not mandatory itself); no-default-alpn needs alpn.
        var keys = parameters.Select(p => p.Key).ToHashSet();
        for (var i = 0; i + 1 < mandatory.Length; i += 2)
        {
            var named = BinaryPrimitives.ReadUInt16BigEndian(mandatory.AsSpan(i));
            if (named == 0 || !keys.Contains(named))
            {
                throw new WireFormatException(named == 0 ? "SVCB mandatory lists itself" : $"SVCB mandatory names key {named}, which the record does not have");
            }
        }

        if (keys.Contains(2) && !keys.Contains(1))
        {
            throw new WireFormatException("SVCB no-default-alpn needs an alpn parameter beside it");
        }

        return new SvcbData(priority, target, parameters);
    }

    /// <summary>A parameter's value in the presentation form the text parser keeps (RFC 9460 §7).</summary>
    private static string? SvcParamValue(ushort key, byte[] value)
    {
        string Invalid(string what) => throw new WireFormatException($"the SVCB {new SvcParam(key, null).KeyName} value is not {what}");
        switch (key)
        {
            case 0 when value.Length >= 2 && value.Length % 2 == 0:
                return string.Join(',', Enumerable.Range(0, value.Length / 2).Select(i => new SvcParam(BinaryPrimitives.ReadUInt16BigEndian(value.AsSpan(2 * i)), null).KeyName));
            case 0:
                return Invalid("a list of keys");
            case 1:
                var ids = new List<string>();
                var alpn = new WireReader(value, RecordType.SVCB);
                while (!alpn.AtEnd)
                {
                    var id = alpn.CharacterString("ALPN identifier");
                    ids.Add(id.Length > 0 ? id.Replace(@"\", @"\\", StringComparison.Ordinal).Replace(",", @"\,", StringComparison.Ordinal) : Invalid("a list of ALPN identifiers"));
                }

                return ids.Count > 0 ? string.Join(',', ids) : Invalid("a list of ALPN identifiers");
            case 2:
                return value.Length == 0 ? null : Invalid("empty");
            case 3:
                return value.Length == 2 ? BinaryPrimitives.ReadUInt16BigEndian(value).ToString(CultureInfo.InvariantCulture) : Invalid("a port number");
            case 4:
                return value.Length >= 4 && value.Length % 4 == 0
                    ? string.Join(',', value.Chunk(4).Select(a => new IPAddress(a).ToString()))
                    : Invalid("a list of IPv4 addresses");
            case 5:
                return Convert.ToBase64String(value);
            case 6:
                return value.Length >= 16 && value.Length % 16 == 0
                    ? string.Join(',', value.Chunk(16).Select(a => new IPAddress(a).ToString()))
                    : Invalid("a list of IPv6 addresses");
            default:
                return value.Length == 0 && key != 7 ? null : Encoding.Latin1.GetString(value);
        }
    }

    /// <summary>Reads fields from the octets in order; running short or a malformed field throws with the field's name.</summary>
    internal sealed class WireReader(byte[] octets, RecordType type)
    {
        private int _position;

        public bool AtEnd => _position >= octets.Length;

        public byte[] Octets(int count, string what)
        {
            if (_position + count > octets.Length)
            {
                throw new WireFormatException($"the {type} data ends before its {what}");
            }

            var slice = octets.AsSpan(_position, count).ToArray();
            _position += count;
            return slice;
        }

        public byte U8(string what) => Octets(1, what)[0];

        public ushort U16(string what) => BinaryPrimitives.ReadUInt16BigEndian(Octets(2, what));

        public uint U32(string what) => BinaryPrimitives.ReadUInt32BigEndian(Octets(4, what));

        public byte[] Rest(string what, bool allowEmpty = false)
        {
            if (AtEnd && !allowEmpty)
            {
                throw new WireFormatException($"the {type} data ends before its {what}");
            }

            return Octets(octets.Length - _position, what);
        }

        public string CharacterString(string what) => Encoding.Latin1.GetString(Octets(U8(what), what));

        /// <summary>An uncompressed name (RFC 3597 §4: no compression pointers in generic data).</summary>
        public DnsName Name(string what)
        {
            var labels = new List<string>();
            while (true)
            {
                var length = U8(what);
                if (length == 0)
                {
                    break;
                }

                if (length > DnsName.MaxLabelOctets)
                {
                    throw new WireFormatException($"the {what} has a label length of {length} (a compression pointer, or more than {DnsName.MaxLabelOctets})");
                }

                var label = new StringBuilder();
                foreach (var octet in Octets(length, what))
                {
                    LabelScanner.AppendOctet(label, octet);
                }

                labels.Add(label.ToString());
            }

            return DnsName.TryParse(labels.Count == 0 ? "." : string.Join('.', labels) + ".", out var name, out var error)
                ? name
                : throw new WireFormatException($"the {what}: {error}");
        }

        /// <summary>An NSEC/NSEC3 type bit map (RFC 4034 §4.1.2): windows in increasing order, 1–32 octets each, the last one not zero.</summary>
        public IReadOnlyList<RecordType> TypeBitmap(bool allowEmpty)
        {
            if (AtEnd && !allowEmpty)
            {
                throw new WireFormatException($"the {type} data ends before its type bit map");
            }

            var types = new List<RecordType>();
            var previous = -1;
            while (!AtEnd)
            {
                var window = U8("type bit map window");
                var length = U8("type bit map length");
                if (window <= previous || length is 0 or > 32)
                {
                    throw new WireFormatException("the type bit map is malformed (windows out of order, or a length outside 1–32)");
                }

                previous = window;
                var bits = Octets(length, "type bit map");
                if (bits[^1] == 0)
                {
                    throw new WireFormatException("the type bit map has a trailing zero octet");
                }

                for (var i = 0; i < bits.Length * 8; i++)
                {
                    if ((bits[i / 8] & (0x80 >> (i % 8))) != 0)
                    {
                        types.Add(new RecordType((ushort)((window << 8) | i)));
                    }
                }
            }

            return types;
        }

        public void End()
        {
            if (!AtEnd)
            {
                throw new WireFormatException($"the {type} data has {octets.Length - _position} octets left over after its last field");
            }
        }
    }
}

/// <summary>RFC 3597 octets that do not fit their type's wire format; the parser reports it at the record.</summary>
internal sealed class WireFormatException(string message) : Exception(message);
