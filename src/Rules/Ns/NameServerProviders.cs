using RulesApi.Dns.Names;
using RulesApi.Rules.Report;

namespace RulesApi.Rules.Ns;

/// <summary>Which DNS provider runs a name server, where its name makes it obvious.</summary>
public static class NameServerProviders
{
    // Suffixes of the providers' name server names, checked label-wise (ns1.domaincontrol.com, ada.ns.cloudflare.com).
    private static readonly (string Suffix, DnsProvider Provider)[] Known =
    [
        ("domaincontrol.com.", DnsProvider.GoDaddy),
        ("registrar-servers.com.", DnsProvider.Namecheap),
        ("ns.cloudflare.com.", DnsProvider.Cloudflare),
    ];

    public static DnsProvider Recognise(DnsName server)
    {
        foreach (var (suffix, provider) in Known)
        {
            if (server.IsSubdomainOf(DnsName.Parse(suffix)))
            {
                return provider;
            }
        }

        // Route 53: ns-123.awsdns-45.com / .net / .org / .co.uk
        return server.Text.Split('.').Any(label => label.StartsWith("awsdns-", StringComparison.OrdinalIgnoreCase)) ? DnsProvider.Route53 : DnsProvider.Generic;
    }

    public static string DisplayName(DnsProvider provider) => provider switch
    {
        DnsProvider.GoDaddy => "GoDaddy",
        DnsProvider.Namecheap => "Namecheap",
        DnsProvider.Cloudflare => "Cloudflare",
        DnsProvider.Route53 => "Amazon Route 53",
        _ => "an unrecognised provider",
    };

    /// <summary>"ns1.domaincontrol.com, ns2.domaincontrol.com (GoDaddy)": a set of servers and whose they are.</summary>
    public static string Describe(IEnumerable<DnsName> servers)
    {
        var list = servers.ToList();
        var providers = list.Select(Recognise).Distinct().ToList();
        var whose = providers is [var only] ? (only == DnsProvider.Generic ? "" : $" ({DisplayName(only)})")
            : $" ({string.Join(" and ", providers.Select(DisplayName))})";
        return string.Join(", ", list.Select(s => s.Text.TrimEnd('.'))) + whose;
    }
}
