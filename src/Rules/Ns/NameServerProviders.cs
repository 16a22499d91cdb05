using RulesApi.Dns.Names;
using RulesApi.Rules.Report;

namespace RulesApi.Rules.Ns;

/// <summary>How the NS rules name whose servers they see (the suffixes live in <see cref="DnsProviders"/>).</summary>
public static class NameServerProviders
{
    public static DnsProvider Recognise(DnsName server) => DnsProviders.Recognise(server);

    public static string DisplayName(DnsProvider provider) =>
        provider == DnsProvider.Generic ? "an unrecognised provider" : DnsProviders.DisplayName(provider);

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
