using RulesApi.Dns.Names;

namespace RulesApi.Rules.Report;

/// <summary>The DNS provider whose record form the remediation is written for.</summary>
public enum DnsProvider
{
    Generic,
    GoDaddy,
    Namecheap,
    Cloudflare,
    Route53,
    Ionos,
    DigitalOcean,
    Azure,
    GoogleCloud,
}

/// <summary>
/// What RulesApi knows of one provider: the name a request gives, the name a person reads, the name
/// servers that give it away (suffixes, checked label-wise), and the shortest TTL its form takes.
/// docs/providers.md cites where each fact comes from.
/// </summary>
public sealed record DnsProviderInfo(DnsProvider Provider, string Id, string DisplayName, IReadOnlyList<string> NameServerSuffixes, uint MinimumTtl);

/// <summary>
/// The one table of providers: how a request, a command line or a scenario names them, how a person
/// calls them, and which name servers are theirs (so a live diagnosis can tell the provider from the
/// delegation, and the NS rules can name whose servers they see).
/// </summary>
public static class DnsProviders
{
    public static readonly IReadOnlyList<DnsProviderInfo> All =
    [
        new(DnsProvider.Generic, "generic", "your DNS provider", [], 1),
        // GoDaddy's API refuses TTLs under 600 s; its form offers "Custom" with the same floor.
        new(DnsProvider.GoDaddy, "godaddy", "GoDaddy", ["domaincontrol.com."], 600),
        new(DnsProvider.Namecheap, "namecheap", "Namecheap", ["registrar-servers.com."], 60),
        // 60 s outside Enterprise plans ("Auto" is 300 s).
        new(DnsProvider.Cloudflare, "cloudflare", "Cloudflare", ["ns.cloudflare.com."], 60),
        // Route 53's servers are ns-NNN.awsdns-NN.com/.net/.org/.co.uk: matched by the label, see Recognise.
        new(DnsProvider.Route53, "route53", "Amazon Route 53", [], 1),
        new(DnsProvider.Ionos, "ionos", "IONOS", ["ui-dns.com.", "ui-dns.de.", "ui-dns.org.", "ui-dns.biz."], 60),
        new(DnsProvider.DigitalOcean, "digitalocean", "DigitalOcean", ["digitalocean.com."], 30),
        new(DnsProvider.Azure, "azure", "Azure DNS", ["azure-dns.com.", "azure-dns.net.", "azure-dns.org.", "azure-dns.info."], 1),
        // Cloud DNS's servers (ns-cloud-XN.googledomains.com) also served Google Domains' own DNS, now
        // Squarespace's: the name does not tell which form the owner edits, so it is not recognised.
        new(DnsProvider.GoogleCloud, "googlecloud", "Google Cloud DNS", [], 1),
    ];

    private const string Route53ServerLabel = "awsdns-";

    /// <summary>The names a request may give, lower case, as the API and the command line spell them.</summary>
    public static readonly IReadOnlyList<string> Names = All.Select(p => p.Id).ToList();

    /// <remarks>By place, as <see cref="All"/> lists them in the enum's order: a search with a closure per form and per answer was garbage.</remarks>
    public static DnsProviderInfo Info(DnsProvider provider) =>
        (int)provider >= 0 && (int)provider < All.Count && All[(int)provider].Provider == provider ? All[(int)provider] : All.First(p => p.Provider == provider);

    public static string Name(DnsProvider provider) => Info(provider).Id;

    public static string DisplayName(DnsProvider provider) => Info(provider).DisplayName;

    /// <summary>Reads a provider's name, ignoring case; false for names RulesApi does not know.</summary>
    public static bool TryParse(string? text, out DnsProvider provider)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(text, candidate.Id, StringComparison.OrdinalIgnoreCase))
            {
                provider = candidate.Provider;
                return true;
            }
        }

        provider = DnsProvider.Generic;
        return false;
    }

    /// <summary>Which provider runs a name server, where its name makes it obvious; Generic otherwise.</summary>
    public static DnsProvider Recognise(DnsName server)
    {
        foreach (var info in All)
        {
            if (info.NameServerSuffixes.Any(suffix => server.IsSubdomainOf(DnsName.Parse(suffix))))
            {
                return info.Provider;
            }
        }

        return server.Text.Split('.').Any(label => label.StartsWith(Route53ServerLabel, StringComparison.OrdinalIgnoreCase))
            ? DnsProvider.Route53
            : DnsProvider.Generic;
    }

    /// <summary>
    /// The provider a delegation points at, when every recognised server in it is that one provider's
    /// (a delegation split between two providers, or to unknown servers, names none).
    /// </summary>
    public static DnsProvider? FromDelegation(IEnumerable<DnsName> servers)
    {
        var providers = servers.Select(Recognise).Distinct().ToList();
        return providers is [var only] && only != DnsProvider.Generic ? only : null;
    }
}
