using System.Globalization;
using RulesApi.Rules.Contract;

namespace RulesApi.Rules.Report;

/// <summary>
/// Writes a remediation record field by field, the way each provider's "add record" form draws it, so a
/// non-expert can type it in: the labels in the form's order, the name without the zone where the form
/// adds it, CAA split into flag, tag and CA domain where the form splits it (and whole, quotes included,
/// where the form has one value box), quotes left out where the form adds them, the provider's TTL floor,
/// Cloudflare's proxy switch, and a note where the provider cannot take the record as it stands.
/// docs/providers.md cites each provider's help page for each form.
/// </summary>
public static class ProviderForms
{
    public static ProviderForm For(DnsProvider provider, RemediationRecord record)
    {
        var parts = RecordParts.Of(record);
        var info = DnsProviders.Info(provider);
        var notes = new List<string>();
        var ttl = Math.Max(record.Ttl, info.MinimumTtl);
        if (ttl != record.Ttl)
        {
            notes.Add($"{info.DisplayName} takes no TTL below {info.MinimumTtl} seconds; {ttl} is the shortest it allows.");
        }

        var fields = provider switch
        {
            DnsProvider.GoDaddy => GoDaddy(parts, ttl, notes),
            DnsProvider.Namecheap => Namecheap(parts, ttl, notes),
            DnsProvider.Cloudflare => Cloudflare(parts, ttl, notes),
            DnsProvider.Route53 => Route53(parts, ttl, notes),
            DnsProvider.Ionos => Ionos(parts, ttl, notes),
            DnsProvider.DigitalOcean => DigitalOcean(parts, ttl, notes),
            DnsProvider.Azure => Azure(parts, ttl, notes),
            DnsProvider.GoogleCloud => GoogleCloud(parts, ttl, notes),
            _ => [new("Host", parts.Host), new("Type", parts.Type), new("Value", parts.Type == "TXT" ? parts.Record.Value : parts.Plain), new("TTL", Seconds(ttl))],
        };
        return new ProviderForm(info.Id, fields, notes.Count > 0 ? string.Join(" ", notes) : null);
    }

    private static List<FormField> GoDaddy(RecordParts r, uint ttl, List<string> notes)
    {
        var ttlField = new FormField("TTL", $"Custom: {Seconds(ttl)}");
        switch (r.Type)
        {
            case "CAA":
                notes.Add("Pick the Flag and the Tag from their lists, and type the CA's domain without quotes.");
                return [new("Type", "CAA"), new("Name", r.Host), ttlField, new("Flag", r.CaaFlags), new("Tag", r.CaaTag), new("Domain", r.CaaValue)];
            case "NS" when r.AtApex:
                notes.Add("The domain's own name servers are not in GoDaddy's record list: open the domain's Nameservers, choose Change Nameservers, then \"I'll use my own nameservers\", and enter each one.");
                return [new("Nameservers", "I'll use my own nameservers"), new("Nameserver", r.Target)];
            case "CNAME" when r.AtApex:
                notes.Add("GoDaddy takes no CNAME at @ (the domain itself).");
                break;
        }

        notes.Add("Type only the part before the domain in Name: GoDaddy adds the domain itself.");
        return [new("Type", r.Type), new("Name", r.Host), new("Value", r.Plain), ttlField];
    }

    private static List<FormField> Namecheap(RecordParts r, uint ttl, List<string> notes)
    {
        var ttlField = new FormField("TTL", NamecheapTtl(ttl));
        switch (r.Type)
        {
            case "CAA":
                notes.Add("Type the CA's domain without quotes.");
                return [new("Type", "CAA Record"), new("Host", r.Host), new("Flag", r.CaaFlags), new("Tag", r.CaaTag), new("Value", r.CaaValue), ttlField];
            case "NS" when r.AtApex:
                notes.Add("The domain's own name servers are set under Domain List → Manage → Nameservers: choose Custom DNS and enter each one (Namecheap's host records stop applying once the domain leaves its DNS).");
                return [new("Nameservers", "Custom DNS"), new("Nameserver", r.Target)];
            case "CNAME" when r.AtApex:
                notes.Add("Namecheap advises against a CNAME at @: it breaks the domain's mail.");
                break;
        }

        notes.Add("Type only the part before the domain in Host: Namecheap adds the domain itself.");
        return [new("Type", r.Type + " Record"), new("Host", r.Host), new(r.Type == "CNAME" ? "Target" : "Value", r.Plain), ttlField];
    }

    private static List<FormField> Cloudflare(RecordParts r, uint ttl, List<string> notes)
    {
        // "Auto" is 300 s for records that are not proxied.
        var ttlField = new FormField("TTL", ttl == 300 ? "Auto" : Duration(ttl));
        switch (r.Type)
        {
            case "CAA":
                if (r.CaaFlags != "0")
                {
                    notes.Add($"Cloudflare's form has no Flags field: a CAA record with flag {r.CaaFlags} can only be made through its API.");
                }

                notes.Add("Cloudflare adds CAA records of its own for its certificates once a zone has any; they do not show in the list and need not be copied.");
                return [new("Type", "CAA"), new("Name", r.Host), ttlField, new("Tag", CloudflareCaaTag(r.CaaTag)), new("CA domain name", r.CaaValue)];
            case "CNAME":
                notes.Add("Set the proxy status to DNS only (grey cloud): a proxied CNAME answers with Cloudflare's addresses and ACM never sees it.");
                return [new("Type", "CNAME"), new("Name", r.Host), new("Target", r.Plain), new("Proxy status", "DNS only"), ttlField];
            case "NS" when r.AtApex:
                notes.Add("Cloudflare assigns a zone's own name servers and does not let them be changed in the record list: change the name servers at the registrar.");
                return [new("Nameserver (at the registrar)", r.Target)];
            case "NS":
                return [new("Type", "NS"), new("Name", r.Host), new("Nameserver", r.Target), ttlField];
        }

        return [new("Type", r.Type), new("Name", r.Host), new("Content", r.Plain), ttlField];
    }

    private static List<FormField> Route53(RecordParts r, uint ttl, List<string> notes)
    {
        notes.Add(r.AtApex
            ? "Leave Record name empty for the zone's own name (do not type @)."
            : "The console shows the hosted zone after the box: type only the part before it in Record name.");
        // Route 53 keeps one record set per name and type, with one value per line.
        var value = r.Type switch
        {
            "CAA" => r.Record.Value,
            "TXT" => r.Quoted,
            _ => r.Plain,
        };
        switch (r.Type)
        {
            case "CAA":
                notes.Add("Type the whole value, quotes included. If a CAA record already exists at this name, edit it and add this value as a new line; keep its other lines.");
                break;
            case "TXT":
                notes.Add("Type the value in double quotes; Route 53 refuses TXT values without them.");
                break;
            case "CNAME" when r.AtApex:
                notes.Add("Route 53 takes no CNAME at the zone's own name: use an alias record instead.");
                break;
            case "NS" when r.AtApex:
                notes.Add("The hosted zone's NS record lists the servers Route 53 assigned; the delegation itself is changed at the registrar (Route 53 → Registered domains → Edit name servers, when the domain is registered with Route 53).");
                break;
        }

        return [new("Record name", r.AtApex ? "" : r.Host), new("Record type", r.Type), new("Value", value), new("TTL (seconds)", Seconds(ttl)), new("Routing policy", "Simple routing")];
    }

    private static List<FormField> Ionos(RecordParts r, uint ttl, List<string> notes)
    {
        var ttlField = new FormField("TTL", Duration(ttl));
        switch (r.Type)
        {
            case "CAA":
                notes.Add("Pick the Flag and the Tag from their lists, and type the CA's domain without quotes.");
                return [new("Type", "CAA"), new("Host name", r.Host), new("Flag", r.CaaFlags), new("Tag", Capitalised(r.CaaTag)), new("Value", r.CaaValue), ttlField];
            case "CNAME":
                if (r.AtApex)
                {
                    notes.Add("IONOS sets a CNAME only on a subdomain, never on the domain itself.");
                }

                notes.Add("Type only the part before the domain in Host name: IONOS adds the domain itself.");
                return [new("Type", "CNAME"), new("Host name", r.Host), new("Point to", r.Plain), ttlField];
            case "NS" when r.AtApex:
                notes.Add("The domain's own name servers are set under the domain's Nameserver action: choose to use custom name servers and enter Name server 1, 2, …");
                return [new("Name server", r.Target)];
        }

        notes.Add("Type only the part before the domain in Host name: IONOS adds the domain itself.");
        return [new("Type", r.Type), new("Host name", r.Host), new("Value", r.Plain), ttlField];
    }

    private static List<FormField> DigitalOcean(RecordParts r, uint ttl, List<string> notes)
    {
        var ttlField = new FormField("TTL (seconds)", Seconds(ttl));
        switch (r.Type)
        {
            case "CAA":
                notes.Add("Type the CA's domain without quotes.");
                return [new("Record type", "CAA"), new("Hostname", r.Host), ttlField, new("Authority granted for", r.CaaValue), new("Tag", r.CaaTag), new("Flags", r.CaaFlags)];
            case "CNAME":
                return [new("Record type", "CNAME"), new("Hostname", r.Host), new("Is an alias of", r.Plain), ttlField];
            case "NS" when r.AtApex:
                notes.Add("DigitalOcean manages the domain's own NS records (ns1–ns3.digitalocean.com); the delegation is changed at the registrar.");
                return [new("Nameserver (at the registrar)", r.Target)];
        }

        return [new("Record type", r.Type), new("Hostname", r.Host), new("Value", r.Plain), ttlField];
    }

    private static List<FormField> Azure(RecordParts r, uint ttl, List<string> notes)
    {
        notes.Add("Azure keeps one record set per name and type: if one exists at this name, open it and add the record to it; keep the records already in it.");
        List<FormField> set = [new("Name", r.Host), new("Type", r.Type), new("TTL", Seconds(ttl)), new("TTL unit", "Seconds")];
        switch (r.Type)
        {
            case "CAA":
                return [.. set, new("Flags", r.CaaFlags), new("Tag", r.CaaTag), new("Value", r.CaaValue)];
            case "CNAME":
                if (r.AtApex)
                {
                    notes.Add("Azure DNS takes no CNAME at @: use an alias record set instead.");
                }

                return [.. set, new("Alias", r.Plain)];
            case "NS" when r.AtApex:
                notes.Add("The zone's own NS record set lists the servers Azure assigned; the delegation itself is changed at the registrar.");
                return [.. set, new("Name server", r.Target)];
        }

        return [.. set, new("Value", r.Plain)];
    }

    private static List<FormField> GoogleCloud(RecordParts r, uint ttl, List<string> notes)
    {
        notes.Add(r.AtApex
            ? "Leave DNS name empty for the zone's own name."
            : "The console shows the zone after the box: type only the part before it in DNS name.");
        notes.Add("Cloud DNS keeps one record set per name and type: if one exists, edit it and add this as another item; keep its other items.");
        var data = r.Type switch
        {
            "CAA" => new FormField("Data", r.Record.Value),
            // Host names in Cloud DNS record data end with a dot.
            "CNAME" => new FormField("Canonical name", r.Absolute),
            "NS" => new FormField("Name server", r.Absolute),
            "TXT" => new FormField("TXT data", r.Quoted),
            _ => new FormField("Data", r.Record.Value),
        };
        if (r.Type == "CNAME" && r.AtApex)
        {
            notes.Add("Cloud DNS takes no CNAME at the zone's own name (its ALIAS record is made only through gcloud or the API).");
        }

        if (r.Type == "NS" && r.AtApex)
        {
            notes.Add("The zone's own NS record set lists the servers Cloud DNS assigned; the delegation itself is changed at the registrar.");
        }

        return [new("DNS name", r.AtApex ? "" : r.Host), new("Resource record type", r.Type), new("TTL", Seconds(ttl)), new("TTL unit", "seconds"), data];
    }

    // Cloudflare's Tag list reads in prose rather than the tag itself.
    private static string CloudflareCaaTag(string tag) => tag.ToLowerInvariant() switch
    {
        "issue" => "Only allow specific hostnames",
        "issuewild" => "Only allow wildcards",
        "iodef" => "Send violation reports to URL",
        _ => tag,
    };

    // Namecheap's TTL list: the longest choice not above the TTL asked for, down to its shortest.
    private static string NamecheapTtl(uint ttl)
    {
        (uint Seconds, string Label)[] choices = [(60, "1 min"), (300, "5 min"), (1200, "20 min"), (1800, "30 min"), (3600, "60 min")];
        return choices.LastOrDefault(c => c.Seconds <= ttl, choices[0]).Label;
    }

    private static string Seconds(uint ttl) => ttl.ToString(CultureInfo.InvariantCulture);

    private static string Duration(uint ttl) => ttl switch
    {
        _ when ttl >= 86400 && ttl % 86400 == 0 => Unit(ttl / 86400, "day"),
        _ when ttl >= 3600 && ttl % 3600 == 0 => Unit(ttl / 3600, "hour"),
        _ when ttl >= 60 && ttl % 60 == 0 => Unit(ttl / 60, "min"),
        _ => $"{ttl} seconds",
    };

    private static string Unit(uint count, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {unit}{(count == 1 || unit == "min" ? "" : "s")}");

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..].ToLowerInvariant();

    /// <summary>The pieces of a record the forms put in their boxes.</summary>
    private sealed record RecordParts(RemediationRecord Record, string Host, string Type, bool AtApex, string CaaFlags, string CaaTag, string CaaValue, string Plain, string Quoted)
    {
        /// <summary>A host name value with its final dot, as forms that want absolute names take it.</summary>
        public string Absolute => Plain.EndsWith('.') ? Plain : Plain + ".";

        public string Target => Plain;

        public static RecordParts Of(RemediationRecord record)
        {
            var type = record.Type.ToUpperInvariant();
            string flags = "", tag = "", caValue = "";
            if (type == "CAA")
            {
                // "0 issue \"amazon.com\"": flags, tag, then the value, quoted.
                var pieces = record.Value.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
                flags = pieces.ElementAtOrDefault(0) ?? "0";
                tag = pieces.ElementAtOrDefault(1) ?? "issue";
                caValue = Unquoted(pieces.ElementAtOrDefault(2) ?? "");
            }

            var plain = type switch
            {
                // Forms take host names without the final dot.
                "CNAME" or "NS" or "PTR" or "DNAME" => record.Value.TrimEnd('.'),
                // Forms that add the quotes themselves take the text bare.
                "TXT" => Unquoted(record.Value),
                _ => record.Value,
            };
            var quoted = type == "TXT" && !record.Value.StartsWith('"') ? $"\"{record.Value}\"" : record.Value;
            return new RecordParts(record, record.Host, type, record.Host == "@", flags, tag, caValue, plain, quoted);
        }

        // One quoted string loses its quotes; several ("a" "b") are joined, as a form's one box holds them.
        private static string Unquoted(string value)
        {
            var text = value.Trim();
            if (text.Length < 2 || text[0] != '"')
            {
                return text;
            }

            // One quoted string with nothing escaped (nearly every CAA and TXT value): its inside, without a builder and a list.
            if (text[^1] == '"' && !text.AsSpan(1, text.Length - 2).ContainsAny('"', '\\'))
            {
                return text[1..^1];
            }

            var strings = new List<string>();
            var current = new System.Text.StringBuilder();
            var inside = false;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '\\' && inside && i + 1 < text.Length)
                {
                    current.Append(text[++i]);
                }
                else if (c == '"')
                {
                    if (inside)
                    {
                        strings.Add(current.ToString());
                        current.Clear();
                    }

                    inside = !inside;
                }
                else if (inside)
                {
                    current.Append(c);
                }
            }

            return string.Concat(strings);
        }
    }
}
