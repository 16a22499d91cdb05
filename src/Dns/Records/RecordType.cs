using System.Collections.Frozen;
using System.Globalization;

namespace RulesApi.Dns.Records;

/// <summary>An RR TYPE code (RFC 1035 §3.2.2, IANA "Resource Record (RR) TYPEs").</summary>
public readonly record struct RecordType(ushort Value)
{
    public static readonly RecordType A = new(1);
    public static readonly RecordType NS = new(2);
    public static readonly RecordType CNAME = new(5);
    public static readonly RecordType SOA = new(6);
    public static readonly RecordType PTR = new(12);
    public static readonly RecordType HINFO = new(13);
    public static readonly RecordType MX = new(15);
    public static readonly RecordType TXT = new(16);
    public static readonly RecordType AAAA = new(28);
    public static readonly RecordType SRV = new(33);
    public static readonly RecordType NAPTR = new(35);
    public static readonly RecordType DNAME = new(39);
    public static readonly RecordType DS = new(43);
    public static readonly RecordType SSHFP = new(44);
    public static readonly RecordType RRSIG = new(46);
    public static readonly RecordType NSEC = new(47);
    public static readonly RecordType DNSKEY = new(48);
    public static readonly RecordType NSEC3 = new(50);
    public static readonly RecordType NSEC3PARAM = new(51);
    public static readonly RecordType TLSA = new(52);
    public static readonly RecordType SVCB = new(64);
    public static readonly RecordType HTTPS = new(65);
    public static readonly RecordType CAA = new(257);

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
        ["SPF"] = 99,
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
