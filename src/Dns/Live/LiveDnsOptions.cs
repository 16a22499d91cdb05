using System.Net;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.Live;

/// <summary>
/// Which servers the live view may ask — configuration, never request input, so a request cannot point
/// the service at an arbitrary address. Bound from the <c>Dns</c> configuration section.
/// </summary>
public sealed class LiveDnsOptions
{
    /// <summary>The IANA root servers' IPv4 addresses (a.root-servers.net … m.root-servers.net).</summary>
    public static readonly IReadOnlyList<string> IanaRootServers =
    [
        "198.41.0.4", "170.247.170.2", "192.33.4.12", "199.7.91.13", "192.203.230.10", "192.5.5.241", "192.112.36.4",
        "198.97.190.53", "192.36.148.17", "192.58.128.30", "193.0.14.129", "199.7.83.42", "202.12.27.33",
    ];

    /// <summary>The IANA root trust anchors (root-anchors.xml): KSK-2017 and KSK-2024, as DS records.</summary>
    public static readonly IReadOnlyList<string> IanaTrustAnchors =
    [
        "20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
        "38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16",
    ];

    /// <summary>Where DNSSEC validation starts (<c>Dns:TrustAnchors</c>): DS records of the root's key; the IANA ones when not set.</summary>
    public List<string> TrustAnchors { get; set; } = [];

    public IReadOnlyList<DsData> TrustAnchorRecords() =>
        (TrustAnchors.Count > 0 ? TrustAnchors : IanaTrustAnchors).Select(text => DsData.TryParse(text, out var ds, out var error)
            ? ds
            : throw new FormatException($"Dns:TrustAnchors: '{text}': {error}")).ToList();

    /// <summary>Where iteration starts (<c>Dns:RootServers</c>); the IANA roots when not set.</summary>
    public List<string> RootServers { get; set; } = [];

    /// <summary>
    /// Recursive resolvers to compare with the authoritative servers (<c>Dns:Resolvers</c>): <c>ip</c> or
    /// <c>ip:port</c> (without a port, <see cref="QueryPort"/>). When not set, the machine's own resolvers.
    /// </summary>
    public List<string> Resolvers { get; set; } = [];

    /// <summary>The port every query goes to (<c>Dns:QueryPort</c>): 53, or a test hierarchy's high port.</summary>
    public int QueryPort { get; set; } = 53;

    /// <summary>How long one query may take before the next server is tried (<c>Dns:QueryTimeoutMs</c>).</summary>
    public int QueryTimeoutMs { get; set; } = 2000;

    /// <summary>How long a whole diagnosis may take (<c>Dns:DeadlineSeconds</c>).</summary>
    public double DeadlineSeconds { get; set; } = 10;

    /// <summary>
    /// Whether servers on loopback, private, link-local and other special-purpose addresses may be asked
    /// (<c>Dns:AllowPrivateAddresses</c>; see <see cref="AddressPolicy"/>). Off in production: a delegation
    /// is anyone's data and must not point the service into its own network. Test labs, whose whole
    /// hierarchy lives on 127.0.10.x, turn it on. The configured root servers and resolvers are trusted as given.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>The most queries one diagnosis may send (<c>Dns:MaxQueries</c>).</summary>
    public int MaxQueries { get; set; } = 500;

    /// <summary>The most referrals followed for one question, CNAME targets included (<c>Dns:MaxReferrals</c>).</summary>
    public int MaxReferrals { get; set; } = 16;

    /// <summary>The longest CNAME chain followed, DNAME-synthesised CNAMEs included (<c>Dns:MaxCnameChain</c>).</summary>
    public int MaxCnameChain { get; set; } = 16;

    /// <summary>How many of a zone's NS names are followed to find addresses (<c>Dns:MaxNameServerNames</c>).</summary>
    public int MaxNameServerNames { get; set; } = 8;

    /// <summary>How many addresses of a zone's NS set are kept and asked (<c>Dns:MaxNameServerAddresses</c>): as many as the root has servers.</summary>
    public int MaxNameServerAddresses { get; set; } = 13;

    /// <summary>How many servers one question is sent to before it is given up (<c>Dns:MaxServersPerQuestion</c>).</summary>
    public int MaxServersPerQuestion { get; set; } = 4;

    /// <summary>The largest answer read, in octets (<c>Dns:MaxAnswerBytes</c>); larger ones count as failures.</summary>
    public int MaxAnswerBytes { get; set; } = 32 * 1024;

    /// <summary>
    /// How many delegations and key sets of the zones above the customer's are kept across diagnoses
    /// (<c>Dns:SharedCacheEntries</c>; <see cref="SharedDnsCache"/>); 0 turns the cache off.
    /// </summary>
    public int SharedCacheEntries { get; set; } = 10_000;

    /// <summary>The longest an entry of the shared cache is kept, whatever its TTL (<c>Dns:SharedCacheMaxTtlSeconds</c>).</summary>
    public int SharedCacheMaxTtlSeconds { get; set; } = 86_400;

    /// <summary>
    /// Registry zones below the TLDs whose delegations may be kept across diagnoses
    /// (<c>Dns:SharedCacheZones</c>, e.g. <c>co.uk</c>, <c>com.au</c>): public suffixes, where nobody's
    /// own zone lives. The root and the TLDs always may.
    /// </summary>
    public List<string> SharedCacheZones { get; set; } = [];

    public IReadOnlyList<IPAddress> RootAddresses() =>
        (RootServers.Count > 0 ? RootServers : IanaRootServers).Select(IPAddress.Parse).ToList();

    /// <summary>
    /// The resolvers to ask. The machine's list is read only when none are configured, and only when a
    /// rule first needs a resolver — tests always configure loopback ones.
    /// </summary>
    public IReadOnlyList<IPEndPoint> ResolverEndpoints()
    {
        if (Resolvers.Count == 0)
        {
            return DnsClient.NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false)
                .Select(server => new IPEndPoint(IPAddress.Parse(server.Address), server.Port)).ToList();
        }

        return Resolvers.Select(text => TryParseEndpoint(text, QueryPort, out var endpoint)
            ? endpoint
            : throw new FormatException($"Dns:Resolvers: '{text}' is not an IP address or ip:port")).ToList();
    }

    /// <summary>Reads <c>ip</c>, <c>ip:port</c> or <c>[ipv6]:port</c>; a bare address gets <paramref name="defaultPort"/>.</summary>
    public static bool TryParseEndpoint(string text, int defaultPort, out IPEndPoint endpoint)
    {
        if (IPAddress.TryParse(text, out var address))
        {
            endpoint = new IPEndPoint(address, defaultPort);
            return true;
        }

        if (IPEndPoint.TryParse(text, out var parsed) && parsed.Port != 0)
        {
            endpoint = parsed;
            return true;
        }

        endpoint = null!;
        return false;
    }

    /// <summary>
    /// The settings' mistakes, each with the setting's name (<c>RootServers</c>, <c>QueryPort</c>, …): the
    /// service refuses to start on any, and the command line reports them against its options.
    /// </summary>
    public IReadOnlyList<(string Setting, string Message)> Problems()
    {
        var problems = new List<(string, string)>();
        if (RootServers.FirstOrDefault(text => !IPAddress.TryParse(text, out _)) is { } root)
        {
            problems.Add((nameof(RootServers), $"'{root}' is not an IP address"));
        }

        if (Resolvers.FirstOrDefault(text => !TryParseEndpoint(text, QueryPort, out _)) is { } resolver)
        {
            problems.Add((nameof(Resolvers), $"'{resolver}' is not an IP address or ip:port"));
        }

        if (TrustAnchors.FirstOrDefault(text => !DsData.TryParse(text, out _, out _)) is { } anchor)
        {
            problems.Add((nameof(TrustAnchors), $"'{anchor}' is not a DS record"));
        }

        if (SharedCacheZones.FirstOrDefault(text => !Names.DnsName.TryParse(text.TrimEnd('.') + ".", out _, out _)) is { } zone)
        {
            problems.Add((nameof(SharedCacheZones), $"'{zone}' is not a domain name"));
        }

        if (SharedCacheEntries < 0 || SharedCacheMaxTtlSeconds < 0)
        {
            problems.Add((SharedCacheEntries < 0 ? nameof(SharedCacheEntries) : nameof(SharedCacheMaxTtlSeconds), "must not be negative"));
        }

        if (QueryPort is < 1 or > 65535)
        {
            problems.Add((nameof(QueryPort), $"must be 1–65535, not {QueryPort}"));
        }

        if (QueryTimeoutMs < 1)
        {
            problems.Add((nameof(QueryTimeoutMs), $"must be positive, not {QueryTimeoutMs}"));
        }

        if (!(DeadlineSeconds > 0))
        {
            problems.Add((nameof(DeadlineSeconds), $"must be positive, not {DeadlineSeconds}"));
        }

        foreach (var (setting, value) in new[]
        {
            (nameof(MaxQueries), MaxQueries), (nameof(MaxReferrals), MaxReferrals), (nameof(MaxCnameChain), MaxCnameChain),
            (nameof(MaxNameServerNames), MaxNameServerNames), (nameof(MaxNameServerAddresses), MaxNameServerAddresses),
            (nameof(MaxServersPerQuestion), MaxServersPerQuestion), (nameof(MaxAnswerBytes), MaxAnswerBytes),
        })
        {
            if (value < 1)
            {
                problems.Add((setting, $"must be positive, not {value}"));
            }
        }

        return problems;
    }
}
