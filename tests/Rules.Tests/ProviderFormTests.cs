using System.Text;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Report;
using Snapshooter.Xunit;

namespace RulesApi.Rules.Tests;

/// <summary>
/// Each provider's form for each record type a finding asks for (CAA, CNAME, TXT, NS), field by field
/// as docs/providers.md describes it, and one snapshot holding every form.
/// </summary>
public sealed class ProviderFormTests
{
    private static readonly DnsName Zone = DnsName.Parse("example.com.");
    private const string Validation = "_9a8b7c6d5e4f30211a2b3c4d5e6f7081.abcdefghij.acm-validations.aws.";

    private static RemediationRecord Caa(string name = "example.com.", string value = "0 issue \"amazon.com\"") =>
        RemediationRecords.Make(RecordAction.Add, DnsName.Parse(name), RecordType.CAA, value, Zone);

    private static RemediationRecord Cname() =>
        RemediationRecords.Make(RecordAction.Add, DnsName.Parse("_3f1a.www.example.com."), RecordType.CNAME, Validation, Zone);

    private static RemediationRecord Txt() =>
        RemediationRecords.Make(RecordAction.Remove, DnsName.Parse("_3f1a.www.example.com."), RecordType.TXT, "\"" + Validation + "\"", Zone);

    private static RemediationRecord ApexNs() =>
        RemediationRecords.Make(RecordAction.Add, Zone, RecordType.NS, "ns1.example.net.", Zone);

    private static string Field(ProviderForm form, string label) => Assert.Single(form.Fields, f => f.Label == label).Value;

    private static IEnumerable<string> Labels(ProviderForm form) => form.Fields.Select(f => f.Label);

    [Fact]
    public void Every_provider_the_table_knows_has_a_form_for_every_record_type()
    {
        foreach (var provider in DnsProviders.All)
        {
            foreach (var record in new[] { Caa(), Cname(), Txt(), ApexNs() })
            {
                var form = ProviderForms.For(provider.Provider, record);
                Assert.Equal(provider.Id, form.Provider);
                Assert.NotEmpty(form.Fields);
                Assert.DoesNotContain(form.Fields, f => f.Value.Contains("example.com.example.com", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void GoDaddy_caa_has_name_ttl_flag_tag_and_domain_in_separate_fields()
    {
        var form = ProviderForms.For(DnsProvider.GoDaddy, Caa());
        Assert.Equal(["Type", "Name", "TTL", "Flag", "Tag", "Domain"], Labels(form));
        Assert.Equal(("@", "0", "issue", "amazon.com"), (Field(form, "Name"), Field(form, "Flag"), Field(form, "Tag"), Field(form, "Domain")));
        // GoDaddy's floor is 600 s, and the note says so.
        Assert.Equal("Custom: 600", Field(form, "TTL"));
        Assert.Contains("600", form.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void GoDaddy_cname_name_is_without_the_zone()
    {
        var form = ProviderForms.For(DnsProvider.GoDaddy, Cname());
        Assert.Equal(("_3f1a.www", Validation.TrimEnd('.')), (Field(form, "Name"), Field(form, "Value")));
        Assert.Contains("GoDaddy adds the domain itself", form.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void GoDaddy_txt_value_is_without_quotes() =>
        Assert.Equal(Validation, Field(ProviderForms.For(DnsProvider.GoDaddy, Txt()), "Value"));

    [Fact]
    public void GoDaddy_apex_ns_is_changed_on_the_nameservers_screen()
    {
        var form = ProviderForms.For(DnsProvider.GoDaddy, ApexNs());
        Assert.Equal("ns1.example.net", Field(form, "Nameserver"));
        Assert.Contains("Change Nameservers", form.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Namecheap_forms_use_host_and_target_and_its_ttl_list()
    {
        var cname = ProviderForms.For(DnsProvider.Namecheap, Cname());
        Assert.Equal(("CNAME Record", "_3f1a.www", Validation.TrimEnd('.'), "5 min"), (Field(cname, "Type"), Field(cname, "Host"), Field(cname, "Target"), Field(cname, "TTL")));
        var caa = ProviderForms.For(DnsProvider.Namecheap, Caa());
        Assert.Equal(("CAA Record", "@", "0", "issue", "amazon.com"), (Field(caa, "Type"), Field(caa, "Host"), Field(caa, "Flag"), Field(caa, "Tag"), Field(caa, "Value")));
        Assert.Equal(Validation, Field(ProviderForms.For(DnsProvider.Namecheap, Txt()), "Value"));
        Assert.Contains("Custom DNS", ProviderForms.For(DnsProvider.Namecheap, ApexNs()).Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Cloudflare_caa_has_name_tag_and_ca_domain_name()
    {
        var form = ProviderForms.For(DnsProvider.Cloudflare, Caa(value: "0 issuewild \"amazon.com\""));
        Assert.Equal(["Type", "Name", "TTL", "Tag", "CA domain name"], Labels(form));
        Assert.Equal(("Only allow wildcards", "amazon.com", "Auto"), (Field(form, "Tag"), Field(form, "CA domain name"), Field(form, "TTL")));
        var critical = ProviderForms.For(DnsProvider.Cloudflare, Caa(value: "128 issue \"amazon.com\""));
        Assert.Contains("no Flags field", critical.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Cloudflare_cname_is_dns_only_and_txt_goes_in_content()
    {
        var cname = ProviderForms.For(DnsProvider.Cloudflare, Cname());
        Assert.Equal(("DNS only", "_3f1a.www"), (Field(cname, "Proxy status"), Field(cname, "Name")));
        Assert.Equal(Validation, Field(ProviderForms.For(DnsProvider.Cloudflare, Txt()), "Content"));
        Assert.Contains("at the registrar", ProviderForms.For(DnsProvider.Cloudflare, ApexNs()).Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Route53_record_name_is_only_the_part_before_the_zone_and_caa_is_one_value()
    {
        var caa = ProviderForms.For(DnsProvider.Route53, Caa("www.example.com."));
        Assert.Equal(("www", "0 issue \"amazon.com\"", "300"), (Field(caa, "Record name"), Field(caa, "Value"), Field(caa, "TTL (seconds)")));
        Assert.Contains("new line", caa.Note, StringComparison.Ordinal);
        var apex = ProviderForms.For(DnsProvider.Route53, Caa());
        Assert.Equal("", Field(apex, "Record name"));
        Assert.Contains("do not type @", apex.Note, StringComparison.Ordinal);
        Assert.Equal("_3f1a.www", Field(ProviderForms.For(DnsProvider.Route53, Cname()), "Record name"));
        // Route 53 wants TXT values quoted.
        Assert.Equal("\"" + Validation + "\"", Field(ProviderForms.For(DnsProvider.Route53, Txt()), "Value"));
        Assert.Contains("registrar", ProviderForms.For(DnsProvider.Route53, ApexNs()).Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Ionos_cname_points_to_and_caa_picks_flag_and_tag()
    {
        var cname = ProviderForms.For(DnsProvider.Ionos, Cname());
        Assert.Equal(("_3f1a.www", Validation.TrimEnd('.')), (Field(cname, "Host name"), Field(cname, "Point to")));
        var caa = ProviderForms.For(DnsProvider.Ionos, Caa());
        Assert.Equal(("0", "Issue", "amazon.com"), (Field(caa, "Flag"), Field(caa, "Tag"), Field(caa, "Value")));
        Assert.Equal(Validation, Field(ProviderForms.For(DnsProvider.Ionos, Txt()), "Value"));
        var apexCname = ProviderForms.For(DnsProvider.Ionos, RemediationRecords.Make(RecordAction.Add, Zone, RecordType.CNAME, "target.example.net.", Zone));
        Assert.Contains("only on a subdomain", apexCname.Note, StringComparison.Ordinal);
        Assert.Contains("custom name servers", ProviderForms.For(DnsProvider.Ionos, ApexNs()).Note, StringComparison.Ordinal);
    }

    [Fact]
    public void DigitalOcean_caa_has_authority_granted_for_tag_and_flags()
    {
        var caa = ProviderForms.For(DnsProvider.DigitalOcean, Caa());
        Assert.Equal(["Record type", "Hostname", "TTL (seconds)", "Authority granted for", "Tag", "Flags"], Labels(caa));
        Assert.Equal("amazon.com", Field(caa, "Authority granted for"));
        Assert.Equal(Validation.TrimEnd('.'), Field(ProviderForms.For(DnsProvider.DigitalOcean, Cname()), "Is an alias of"));
        Assert.Equal(Validation, Field(ProviderForms.For(DnsProvider.DigitalOcean, Txt()), "Value"));
        Assert.Contains("registrar", ProviderForms.For(DnsProvider.DigitalOcean, ApexNs()).Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Azure_record_sets_split_caa_and_keep_the_others()
    {
        var caa = ProviderForms.For(DnsProvider.Azure, Caa());
        Assert.Equal(("@", "0", "issue", "amazon.com"), (Field(caa, "Name"), Field(caa, "Flags"), Field(caa, "Tag"), Field(caa, "Value")));
        Assert.Contains("keep the records already in it", caa.Note, StringComparison.Ordinal);
        Assert.Equal(Validation.TrimEnd('.'), Field(ProviderForms.For(DnsProvider.Azure, Cname()), "Alias"));
        Assert.Equal(Validation, Field(ProviderForms.For(DnsProvider.Azure, Txt()), "Value"));
        Assert.Equal("ns1.example.net", Field(ProviderForms.For(DnsProvider.Azure, ApexNs()), "Name server"));
    }

    [Fact]
    public void GoogleCloud_wants_absolute_targets_and_quoted_txt()
    {
        var cname = ProviderForms.For(DnsProvider.GoogleCloud, Cname());
        Assert.Equal(("_3f1a.www", Validation), (Field(cname, "DNS name"), Field(cname, "Canonical name")));
        Assert.Equal("0 issue \"amazon.com\"", Field(ProviderForms.For(DnsProvider.GoogleCloud, Caa()), "Data"));
        Assert.Equal("\"" + Validation + "\"", Field(ProviderForms.For(DnsProvider.GoogleCloud, Txt()), "TXT data"));
        Assert.Equal("ns1.example.net.", Field(ProviderForms.For(DnsProvider.GoogleCloud, ApexNs()), "Name server"));
    }

    [Theory]
    [InlineData("ns1.domaincontrol.com.", DnsProvider.GoDaddy)]
    [InlineData("dns1.registrar-servers.com.", DnsProvider.Namecheap)]
    [InlineData("ada.ns.cloudflare.com.", DnsProvider.Cloudflare)]
    [InlineData("ns-123.awsdns-45.co.uk.", DnsProvider.Route53)]
    [InlineData("ns1045.ui-dns.biz.", DnsProvider.Ionos)]
    [InlineData("ns2.digitalocean.com.", DnsProvider.DigitalOcean)]
    [InlineData("ns1-01.azure-dns.com.", DnsProvider.Azure)]
    [InlineData("ns-cloud-a1.googledomains.com.", DnsProvider.Generic)]
    [InlineData("ns.cloudflare.com.evil.example.", DnsProvider.Generic)]
    public void Name_servers_name_their_provider(string server, DnsProvider provider) =>
        Assert.Equal(provider, DnsProviders.Recognise(DnsName.Parse(server)));

    [Fact]
    public void A_delegation_split_between_providers_names_none()
    {
        Assert.Equal(DnsProvider.GoDaddy, DnsProviders.FromDelegation([DnsName.Parse("ns1.domaincontrol.com."), DnsName.Parse("ns2.domaincontrol.com.")]));
        Assert.Null(DnsProviders.FromDelegation([DnsName.Parse("ns1.domaincontrol.com."), DnsName.Parse("ada.ns.cloudflare.com.")]));
        Assert.Null(DnsProviders.FromDelegation([DnsName.Parse("ns1.example.net.")]));
    }

    [Fact]
    public void Every_form_reads_as_recorded()
    {
        var records = new[]
        {
            Caa(), Caa("www.example.com.", "0 issuewild \"amazon.com\""), Cname(), Txt(), ApexNs(),
            RemediationRecords.Make(RecordAction.Add, DnsName.Parse("dev.example.com."), RecordType.NS, "ns1.example.net.", Zone),
        };
        var text = new StringBuilder();
        foreach (var provider in DnsProviders.All)
        {
            foreach (var record in records)
            {
                var form = ProviderForms.For(provider.Provider, record);
                text.Append(provider.Id).Append(" | ").Append(record.ZoneLine).Append('\n');
                foreach (var field in form.Fields)
                {
                    text.Append("    ").Append(field.Label).Append(": ").Append(field.Value).Append('\n');
                }

                if (form.Note is { } note)
                {
                    text.Append("    note: ").Append(note).Append('\n');
                }
            }
        }

        Snapshot.Match(text.ToString());
    }
}
