using System.Globalization;
using RulesApi.Rules.Contract;

namespace RulesApi.Rules.Report;

/// <summary>
/// Writes a remediation record the way each provider's "add record" form asks for it, so a support
/// person can read the fields out. The forms differ in labels, in whether the zone is typed (it never
/// is, except at Route 53), and in the proxy switch Cloudflare adds.
/// </summary>
public static class ProviderForms
{
    public static ProviderForm For(DnsProvider provider, RemediationRecord record)
    {
        var value = ValueField(record);
        var ttl = record.Ttl.ToString(CultureInfo.InvariantCulture);
        return provider switch
        {
            DnsProvider.GoDaddy => new ProviderForm("godaddy",
                [new("Type", record.Type), new("Name", record.Host), new(record.Type == "CNAME" ? "Value" : "Value", value), new("TTL", ttl)],
                "Type only the part before the domain in Name: GoDaddy adds the domain itself."),
            DnsProvider.Namecheap => new ProviderForm("namecheap",
                [new("Type", record.Type + " Record"), new("Host", record.Host), new(record.Type == "CNAME" ? "Target" : "Value", value), new("TTL", ttl)],
                "Type only the part before the domain in Host: Namecheap adds the domain itself."),
            DnsProvider.Cloudflare => new ProviderForm("cloudflare",
                record.Type == "CNAME"
                    ? [new("Type", record.Type), new("Name", record.Host), new("Target", value), new("Proxy status", "DNS only"), new("TTL", ttl)]
                    : [new("Type", record.Type), new("Name", record.Host), new("Content", value), new("TTL", ttl)],
                record.Type == "CNAME" ? "Switch the proxy off (grey cloud): a proxied CNAME answers with Cloudflare's addresses and ACM never sees it." : null),
            DnsProvider.Route53 => new ProviderForm("route53",
                [new("Record name", record.Name.TrimEnd('.')), new("Record type", record.Type), new("Value", value), new("TTL (seconds)", ttl)],
                "The console shows the hosted zone after the record name; type only the part before it."),
            _ => new ProviderForm("generic",
                [new("Host", record.Host), new("Type", record.Type), new("Value", value), new("TTL", ttl)]),
        };
    }

    // Forms take host names without the final dot, and CAA values without the flags and tag that have their own fields on most forms.
    private static string ValueField(RemediationRecord record) => record.Type switch
    {
        "CNAME" or "NS" or "PTR" => record.Value.TrimEnd('.'),
        _ => record.Value,
    };
}
