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
