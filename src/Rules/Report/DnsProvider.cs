namespace RulesApi.Rules.Report;

/// <summary>The DNS provider whose record form the remediation is written for.</summary>
public enum DnsProvider
{
    Generic,
    GoDaddy,
    Namecheap,
    Cloudflare,
    Route53,
}

/// <summary>The one place a provider's name, as a request, a command line or a scenario writes it, is read.</summary>
public static class DnsProviders
{
    /// <summary>The names a request may give, lower case, as the API and the command line spell them.</summary>
    public static readonly IReadOnlyList<string> Names = Enum.GetValues<DnsProvider>().Select(Name).ToList();

    public static string Name(DnsProvider provider) => provider.ToString().ToLowerInvariant();

    /// <summary>Reads a provider's name, ignoring case; false for names RulesApi does not know.</summary>
    public static bool TryParse(string? text, out DnsProvider provider)
    {
        foreach (var candidate in Enum.GetValues<DnsProvider>())
        {
            if (string.Equals(text, Name(candidate), StringComparison.OrdinalIgnoreCase))
            {
                provider = candidate;
                return true;
            }
        }

        provider = DnsProvider.Generic;
        return false;
    }
}
