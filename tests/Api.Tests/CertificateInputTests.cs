using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Snapshooter.Xunit;

namespace RulesApi.Api.Tests;

/// <summary>POST /diagnose with ACM's own description of the certificate, or with the validation records alone.</summary>
public sealed class CertificateInputTests : IClassFixture<ServiceFactory>
{
    private const string Token = "_3f1a2b4c5d6e7f8091a2b3c4d5e6f708";
    private const string Value = "_9a8b7c6d5e4f30211a2b3c4d5e6f7081.abcdefghij.acm-validations.aws.";

    private readonly HttpClient _client;

    public CertificateInputTests(ServiceFactory factory)
    {
        _client = factory.CreateClient();
    }

    private static string Sample(string file) => File.ReadAllText(Path.Combine(ServiceFactory.RepositoryRoot, "samples", file));

    private async Task<JsonElement> Diagnose(object body)
    {
        var response = await _client.PostAsJsonAsync("/diagnose", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_snapshot_of_a_diagnosis_from_describe_certificate()
    {
        var certificate = JsonNode.Parse(Sample("describe-certificate.json"));
        var response = await _client.PostAsJsonAsync("/diagnose", new { acmCertificate = certificate, zoneFile = Sample("example.com.zone"), provider = "godaddy" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = Newtonsoft.Json.Linq.JObject.Parse(await response.Content.ReadAsStringAsync());
        Snapshot.Match(body, options => options.IgnoreField("elapsedMs"));
    }

    [Fact]
    public async Task The_certificate_gives_the_names_and_each_problem_its_rule()
    {
        var certificate = JsonNode.Parse(Sample("describe-certificate.json"));
        var body = await Diagnose(new { acmCertificate = certificate, zoneFile = Sample("example.com.zone") });

        var names = body.GetProperty("names").EnumerateArray().Select(n => n.GetProperty("name").GetString()).ToList();
        Assert.Equal(["example.com.", "*.example.com.", "www.example.com.", "api.example.com.", "shop.example.com."], names);
        var rules = body.GetProperty("findings").EnumerateArray().Select(f => (f.GetProperty("ruleId").GetString(), f.GetProperty("name").GetString())).ToList();
        Assert.Contains(("ACM001", "example.com."), rules);
        Assert.Contains(("VAL002", "www.example.com."), rules);
        Assert.Contains(("VAL004", "api.example.com."), rules);
        Assert.Contains(("VAL005", "shop.example.com."), rules);
        Assert.Contains(("CAA001", "*.example.com."), rules);
        Assert.DoesNotContain(rules, r => r.Item1 is "VAL001" or "VAL003");
    }

    [Fact]
    public async Task The_inner_certificate_object_is_accepted_too()
    {
        var inner = JsonNode.Parse(Sample("describe-certificate.json"))!["Certificate"];
        var body = await Diagnose(new { acmCertificate = inner, zoneFile = Sample("example.com.zone") });

        Assert.Equal(5, body.GetProperty("names").GetArrayLength());
    }

    [Fact]
    public async Task Validation_records_alone_are_checked_with_the_provider_form()
    {
        var zone = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.2\n";
        var body = await Diagnose(new
        {
            validationRecords = new[] { new { name = $"{Token}.www.example.com", value = Value } },
            zoneFile = zone,
            origin = "example.com",
            provider = "cloudflare",
        });

        var finding = body.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("ruleId").GetString() == "VAL001");
        var form = finding.GetProperty("remediation").GetProperty("records")[0].GetProperty("form");
        Assert.Equal("cloudflare", form.GetProperty("provider").GetString());
        var fields = form.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("label").GetString()!, f => f.GetProperty("value").GetString());
        Assert.Equal($"{Token}.www", fields["Name"]);
        Assert.Equal("DNS only", fields["Proxy status"]);
        Assert.Equal(Value.TrimEnd('.'), fields["Target"]);
    }

    public static TheoryData<string, string, string> BadRequests() => new()
    {
        { """{"acmCertificate": "arn:aws:acm:...", "zoneFile": ""}""", "acmCertificate", "describe-certificate" },
        { """{"acmCertificate": {"Certificate": {"SubjectAlternativeNames": []}}, "zoneFile": ""}""", "acmCertificate.Certificate.DomainName", "missing" },
        { """{"acmCertificate": {"DomainName": "example.com", "DomainValidationOptions": [{"DomainName": "example.com", "ResourceRecord": {"Name": "_a.example.com.", "Type": "TXT", "Value": "x.example.net."}}]}, "zoneFile": ""}""", "acmCertificate.DomainValidationOptions[0].ResourceRecord.Type", "always CNAME" },
        { """{"acmCertificate": {"DomainName": "example.com", "DomainValidationOptions": [{"DomainName": "example.com", "ResourceRecord": {"Name": "_a.example.com.", "Type": "CNAME", "Value": "not a name"}}]}, "zoneFile": ""}""", "acmCertificate.DomainValidationOptions[0].ResourceRecord.Value", "not a DNS name" },
        { """{"validationRecords": [{"name": "_a.example.com", "value": "http://x"}], "zoneFile": ""}""", "validationRecords[0].value", "not a DNS name" },
        { """{"validationRecords": [{"name": "_a.example.com", "value": "_b.acm-validations.aws", "type": "TXT"}], "zoneFile": ""}""", "validationRecords[0].type", "always CNAME" },
        { """{"validationRecords": [{"value": "_b.acm-validations.aws"}], "zoneFile": ""}""", "validationRecords[0].name", "missing" },
        { """{"validationRecords": [{"name": "_a.example.com", "value": "_b.acm-validations.aws"}], "zoneFile": "", "provider": "dyn"}""", "provider", "not a provider" },
        // One name, two values: whichever came first counted, and the verdict followed the order of the list.
        { """{"validationRecords": [{"name": "_a.www.example.com", "value": "_b.acm-validations.aws"}, {"name": "_A.www.example.com.", "value": "_c.acm-validations.aws"}], "zoneFile": ""}""", "validationRecords[1].value", "validationRecords[0]" },
        { """{"acmCertificate": {"DomainName": "www.example.com", "DomainValidationOptions": [{"DomainName": "www.example.com", "ResourceRecord": {"Name": "_a.www.example.com.", "Type": "CNAME", "Value": "_b.acm-validations.aws."}}]}, "validationRecords": [{"name": "_a.www.example.com", "value": "_c.acm-validations.aws"}], "zoneFile": ""}""", "validationRecords[0].value", "acmCertificate" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_certificate_input_gets_400_naming_the_field(string json, string field, string reason)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await _client.PostAsync("/diagnose", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = body.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("name").GetString(), e.GetProperty("reason").GetString())).ToList();
        Assert.True(errors.Any(e => e.Item1 == field && e.Item2!.Contains(reason, StringComparison.Ordinal)),
            $"expected an error on {field} containing '{reason}'; got: {string.Join("; ", errors)}");
    }
}
