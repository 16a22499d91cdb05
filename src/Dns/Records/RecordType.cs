using System.Collections.Frozen;
using System.Globalization;

namespace RulesApi.Dns.Records;

/// <summary>An RR TYPE code (RFC 1035 §3.2.2, IANA "Resource Record (RR) TYPEs").</summary>
public readonly record struct RecordType(ushort Value)
{
    /// <summary>
    /// The codes as constants, for <c>switch</c> and <c>is</c> patterns (which need constants, not the
    /// <see cref="RecordType"/> values below). Meta-types (RFC 6895 §3.1) are here so they can be refused by name.
    /// </summary>
    public static class Codes
    {
        public const ushort A = 1;
        public const ushort NS = 2;
        public const ushort CNAME = 5;
        public const ushort SOA = 6;
        public const ushort PTR = 12;
        public const ushort HINFO = 13;
        public const ushort MX = 15;
        public const ushort TXT = 16;
        public const ushort AAAA = 28;
        public const ushort SRV = 33;
        public const ushort NAPTR = 35;
        public const ushort DNAME = 39;
        public const ushort OPT = 41;
        public const ushort DS = 43;
        public const ushort SSHFP = 44;
        public const ushort RRSIG = 46;
        public const ushort NSEC = 47;
        public const ushort DNSKEY = 48;
        public const ushort NSEC3 = 50;
        public const ushort NSEC3PARAM = 51;
        public const ushort TLSA = 52;
        public const ushort SMIMEA = 53;
        public const ushort CDS = 59;
        public const ushort CDNSKEY = 60;
        public const ushort SVCB = 64;
        public const ushort HTTPS = 65;
        public const ushort SPF = 99;
        public const ushort TKEY = 249;
        public const ushort TSIG = 250;
        public const ushort IXFR = 251;
        public const ushort AXFR = 252;
        public const ushort ANY = 255;
        public const ushort URI = 256;
        public const ushort CAA = 257;
        public const ushort DLV = 32769;
    }

    public static readonly RecordType A = new(Codes.A);
    public static readonly RecordType NS = new(Codes.NS);
    public static readonly RecordType CNAME = new(Codes.CNAME);
    public static readonly RecordType SOA = new(Codes.SOA);
    public static readonly RecordType PTR = new(Codes.PTR);
    public static readonly RecordType HINFO = new(Codes.HINFO);
    public static readonly RecordType MX = new(Codes.MX);
    public static readonly RecordType TXT = new(Codes.TXT);
    public static readonly RecordType AAAA = new(Codes.AAAA);
    public static readonly RecordType SRV = new(Codes.SRV);
    public static readonly RecordType NAPTR = new(Codes.NAPTR);
    public static readonly RecordType DNAME = new(Codes.DNAME);
    public static readonly RecordType DS = new(Codes.DS);
    public static readonly RecordType SSHFP = new(Codes.SSHFP);
    public static readonly RecordType RRSIG = new(Codes.RRSIG);
    public static readonly RecordType NSEC = new(Codes.NSEC);
    public static readonly RecordType DNSKEY = new(Codes.DNSKEY);
    public static readonly RecordType NSEC3 = new(Codes.NSEC3);
    public static readonly RecordType NSEC3PARAM = new(Codes.NSEC3PARAM);
    public static readonly RecordType TLSA = new(Codes.TLSA);
    public static readonly RecordType SVCB = new(Codes.SVCB);
    public static readonly RecordType HTTPS = new(Codes.HTTPS);
    public static readonly RecordType CAA = new(Codes.CAA);

    // Mnemonics from the IANA registry; types without typed data here are kept generically.
    private static readonly FrozenDictionary<string, ushort> ByName = new Dictionary<string, ushort>(StringComparer.OrdinalIgnoreCase)
    {
        ["A"] = 1,
        ["NS"] = 2,
        ["MD"] = 3,
        ["MF"] = 4,
        ["CNAME"] = 5,
        ["SOA"] = 6,
        ["MB"] = 7,
        ["MG"] = 8,
        ["MR"] = 9,
        ["NULL"] = 10,
        ["WKS"] = 11,
        ["PTR"] = 12,
        ["HINFO"] = 13,
        ["MINFO"] = 14,
        ["MX"] = 15,
        ["TXT"] = 16,
        ["RP"] = 17,
        ["AFSDB"] = 18,
        ["X25"] = 19,
        ["ISDN"] = 20,
        ["RT"] = 21,
        ["NSAP"] = 22,
        ["NSAP-PTR"] = 23,
        ["SIG"] = 24,
        ["KEY"] = 25,
        ["PX"] = 26,
        ["GPOS"] = 27,
        ["AAAA"] = 28,
        ["LOC"] = 29,
        ["NXT"] = 30,
        ["EID"] = 31,
        ["NIMLOC"] = 32,
        ["SRV"] = 33,
        ["ATMA"] = 34,
        ["NAPTR"] = 35,
        ["KX"] = 36,
        ["CERT"] = 37,
        ["A6"] = 38,
        ["DNAME"] = 39,
        ["SINK"] = 40,
        ["OPT"] = 41,
        ["APL"] = 42,
        ["DS"] = 43,
        ["SSHFP"] = 44,
        ["IPSECKEY"] = 45,
        ["RRSIG"] = 46,
        ["NSEC"] = 47,
        ["DNSKEY"] = 48,
        ["DHCID"] = 49,
        ["NSEC3"] = 50,
        ["NSEC3PARAM"] = 51,
        ["TLSA"] = 52,
        ["SMIMEA"] = 53,
        ["HIP"] = 55,
        ["NINFO"] = 56,
        ["RKEY"] = 57,
        ["TALINK"] = 58,
        ["CDS"] = 59,
        ["CDNSKEY"] = 60,
        ["OPENPGPKEY"] = 61,
        ["CSYNC"] = 62,
        ["ZONEMD"] = 63,
        ["SVCB"] = 64,
        ["HTTPS"] = 65,
        ["DSYNC"] = 66,
        ["SPF"] = 99,
        ["UNSPEC"] = 103,
        ["NID"] = 104,
        ["L32"] = 105,
        ["L64"] = 106,
        ["LP"] = 107,
        ["EUI48"] = 108,
        ["EUI64"] = 109,
        ["URI"] = 256,
        ["CAA"] = 257,
        ["AVC"] = 258,
        ["DOA"] = 259,
        ["AMTRELAY"] = 260,
        ["RESINFO"] = 261,
        ["WALLET"] = 262,
        ["TA"] = 32768,
        ["DLV"] = 32769,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<ushort, string> ByValue =
        ByName.ToFrozenDictionary(pair => pair.Value, pair => pair.Key.ToUpperInvariant());

    /// <summary>True when the type has a registered mnemonic.</summary>
    public bool IsKnown => ByValue.ContainsKey(Value);

    /// <summary>Accepts a mnemonic (any case) or the RFC 3597 form <c>TYPEnnn</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out RecordType type)
    {
        var lookup = ByName.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(text, out var value))
        {
            type = new RecordType(value);
            return true;
        }

        if (text.Length > 4 && text[..4].Equals("TYPE", StringComparison.OrdinalIgnoreCase)
            && ushort.TryParse(text[4..], NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            type = new RecordType(value);
            return true;
        }

        type = default;
        return false;
    }

    public static RecordType Parse(string text) =>
        TryParse(text, out var type) ? type : throw new FormatException($"unknown record type '{text}'");

    public override string ToString() =>
        ByValue.TryGetValue(Value, out var name) ? name : "TYPE" + Value.ToString(CultureInfo.InvariantCulture);
}
