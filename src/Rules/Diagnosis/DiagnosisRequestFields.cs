using System.Text.Json;
using System.Text.Json.Serialization;

namespace RulesApi.Rules.Diagnosis;

/// <summary>
/// What to diagnose, as sent: the JSON body of <c>POST /diagnose</c>, and what the command line and a
/// <c>text/dns</c> body with its query string fill in. <see cref="DiagnosisRequestParser"/> turns it into
/// a <see cref="DiagnosisRequest"/>. With <c>zoneFile</c> alone the zone is audited (every CAA set and
/// the zone's integrity); with <c>domains</c> too, those names are diagnosed against the zone; with
/// names and neither a zone nor a fixture, against live DNS.
/// </summary>
public sealed class DiagnosisRequestFields
{
    /// <summary>Names to certify, as in the ACM request (wildcards such as *.example.com allowed); at most 100.</summary>
    public List<string>? Domains { get; set; }

    /// <summary>The zone in BIND master-file format, as providers export it.</summary>
    public string? ZoneFile { get; set; }

    /// <summary>
    /// The zone text when the service took it from the body as bytes (a <c>text/dns</c> body, or <c>zoneFile</c>
    /// unescaped once from JSON) instead of as <see cref="ZoneFile"/>; not a field of the JSON body.
    /// </summary>
    [JsonIgnore]
    public ZoneTextBuffer? ZoneText { get; set; }

    /// <summary>The zone's name, when the zone text does not say it ($ORIGIN or an absolute SOA owner).</summary>
    public string? Origin { get; set; }

    /// <summary>A built-in offline scenario to diagnose instead of zone text (GET /fixtures lists them).</summary>
    public string? Fixture { get; set; }

    /// <summary>The CNAME records ACM asked for (name and value, as the ACM console shows them).</summary>
    public List<ValidationRecordFields>? ValidationRecords { get; set; }

    /// <summary>The output of 'aws acm describe-certificate', whole or its "Certificate" object.</summary>
    public JsonElement? AcmCertificate { get; set; }

    /// <summary>
    /// An ACM certificate's ARN: the service calls DescribeCertificate in the ARN's region with its own
    /// credentials (when Acm:Enabled is set) and diagnoses the answer as if it had been given as acmCertificate.
    /// </summary>
    public string? CertificateArn { get; set; }

    /// <summary>The DNS provider whose record form the remediation follows: godaddy, namecheap, cloudflare, route53, ionos, digitalocean, azure, googlecloud or generic (docs/providers.md); when live and not given, detected from the delegation.</summary>
    public string? Provider { get; set; }

    /// <summary>The CA that will issue, whose CAA identities count: amazon (the default), letsencrypt, google, digicert, sectigo, globalsign, zerossl, buypass, sslcom, entrust, godaddy, or one the rule profile defines (docs/cas.md).</summary>
    public string? Ca { get; set; }

    /// <summary>For a zone audit: the DS records the registrar publishes for the zone ("12345 13 2 49FD…", or whole DS lines), checked against the zone's DNSKEYs.</summary>
    public List<string>? ParentDs { get; set; }
}

/// <summary>One validation record: the CNAME's name and value. Type, if given, must be CNAME.</summary>
public sealed class ValidationRecordFields
{
    public string? Name { get; set; }

    public string? Value { get; set; }

    public string? Type { get; set; }
}
