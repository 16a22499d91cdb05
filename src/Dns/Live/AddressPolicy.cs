using System.Net;
using System.Net.Sockets;

namespace RulesApi.Dns.Live;

/// <summary>
/// Which addresses a live diagnosis may send a query to. A delegation is data the customer (or anyone)
/// writes: without this check, <c>evil.example NS ns.evil.example</c> with glue 169.254.169.254 or
/// 10.0.0.1 would make the service send packets into its own network (cloud metadata, internal DNS).
/// The special-purpose ranges of the IANA IPv4 and IPv6 registries (RFC 6890 and its updates) are
/// refused; so are the IPv6 forms that embed such an IPv4 address. ACM's resolvers cannot reach these
/// addresses from the internet either, so a delegation to one is a problem for issuance as well.
/// </summary>
public static class AddressPolicy
{
    private static readonly (IPNetwork Network, string Why)[] Refused =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "'this network' (RFC 791)"),
        (IPNetwork.Parse("10.0.0.0/8"), "private-use (RFC 1918)"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared address space, carrier-grade NAT (RFC 6598)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback (RFC 1122)"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local, where cloud metadata services live (RFC 3927)"),
        (IPNetwork.Parse("172.16.0.0/12"), "private-use (RFC 1918)"),
        (IPNetwork.Parse("192.0.0.0/24"), "IETF protocol assignments (RFC 6890)"),
        (IPNetwork.Parse("192.0.2.0/24"), "documentation, TEST-NET-1 (RFC 5737)"),
        (IPNetwork.Parse("192.88.99.0/24"), "deprecated 6to4 relay anycast (RFC 7526)"),
        (IPNetwork.Parse("192.168.0.0/16"), "private-use (RFC 1918)"),
        (IPNetwork.Parse("198.18.0.0/15"), "benchmarking (RFC 2544)"),
        (IPNetwork.Parse("198.51.100.0/24"), "documentation, TEST-NET-2 (RFC 5737)"),
        (IPNetwork.Parse("203.0.113.0/24"), "documentation, TEST-NET-3 (RFC 5737)"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast (RFC 5771)"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved, and the limited broadcast address (RFC 1112, RFC 919)"),
        (IPNetwork.Parse("::/128"), "the unspecified address (RFC 4291)"),
        (IPNetwork.Parse("::1/128"), "loopback (RFC 4291)"),
        (IPNetwork.Parse("::/96"), "deprecated IPv4-compatible (RFC 4291)"),
        (IPNetwork.Parse("64:ff9b:1::/48"), "local-use IPv4/IPv6 translation (RFC 8215)"),
        (IPNetwork.Parse("100::/64"), "discard-only (RFC 6666)"),
        (IPNetwork.Parse("2001::/23"), "IETF protocol assignments, Teredo included (RFC 2928, RFC 4380)"),
        (IPNetwork.Parse("2001:db8::/32"), "documentation (RFC 3849)"),
        (IPNetwork.Parse("3fff::/20"), "documentation (RFC 9637)"),
        (IPNetwork.Parse("5f00::/16"), "segment routing SIDs (RFC 9602)"),
        (IPNetwork.Parse("fc00::/7"), "unique local (RFC 4193)"),
        (IPNetwork.Parse("fe80::/10"), "link-local (RFC 4291)"),
        (IPNetwork.Parse("fec0::/10"), "deprecated site-local (RFC 3879)"),
        (IPNetwork.Parse("ff00::/8"), "multicast (RFC 4291)"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>Why the service will not query <paramref name="address"/> ("private-use (RFC 1918)"), or null when it may.</summary>
    public static string? WhyRefused(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            // ::ffff:10.0.0.1 reaches 10.0.0.1: judge the IPv4 address inside.
            return WhyRefused(address.MapToIPv4()) is { } why ? $"{why}, IPv4-mapped" : null;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && (Nat64.Contains(address) || SixToFour.Contains(address)))
        {
            // The well-known NAT64 prefix (RFC 6052) carries the IPv4 address in its last 32 bits, 6to4 (RFC 3056) in bits 16–47.
            var bytes = address.GetAddressBytes();
            var inner = new IPAddress(Nat64.Contains(address) ? bytes[12..16] : bytes[2..6]);
            return WhyRefused(inner) is { } why ? $"{why}, embedded in {(Nat64.Contains(address) ? "a NAT64" : "a 6to4")} address" : null;
        }

        foreach (var (network, why) in Refused)
        {
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
            {
                return why;
            }
        }

        return null;
    }
}
