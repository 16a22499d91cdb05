using FastEndpoints;
using RulesApi.Dns.Live;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Fixtures;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Api.Features.Diagnose;

/// <summary>POST /diagnose: diagnoses names against zone text, or audits zone text.</summary>
public sealed class Endpoint : Endpoint<Request, DiagnosisReport>
{
    private readonly ZoneDiagnosis _diagnosis;
    private readonly FixtureDiagnosis _fixtures;
    private readonly RuleProfile _profile;
    private readonly ServiceOptions _options;
    private readonly LiveDnsOptions _dns;
    private readonly RuleEngine _engine;

    public Endpoint(ZoneDiagnosis diagnosis, FixtureDiagnosis fixtures, RuleEngine engine, RuleProfile profile, ServiceOptions options, LiveDnsOptions dns)
    {
        _engine = engine;
        _dns = dns;
        _diagnosis = diagnosis;
        _fixtures = fixtures;
        _profile = profile;
        _options = options;
    }

    public override void Configure()
    {
        Post("/diagnose");
        AllowAnonymous();
        RequestBinder(new ZoneTextBinder());
        Description(builder => builder
            .Accepts<Request>("application/json", ZoneTextBinder.ContentType)
            .Produces<DiagnosisReport>(200, "application/json")
            .ProducesProblemDetails(400)
            .ProducesProblemDetails(413));
        Summary(summary =>
        {
            summary.Summary = "Diagnose names against a zone, or audit a zone";
            summary.Description =
                "Send JSON, or the zone itself with Content-Type text/dns and ?origin=example.com (and optionally ?domains=a,b). " +
                "Without zone text or a fixture, the names are diagnosed against live DNS from the configured servers. " +
                "A broken zone is not a request error: it is answered with ZONE findings.";
            summary.ExampleRequest = new Request
            {
                Domains = ["www.example.com"],
                Origin = "example.com",
                ZoneFile = "$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n@ CAA 0 issue \"letsencrypt.org\"\nwww A 192.0.2.2\n",
            };
            summary.Responses[400] = "The request is malformed: the problem names the field.";
            summary.Responses[413] = "The body is larger than the configured limit (default 16 MiB).";
        });
    }

    public override async Task<DiagnosisReport> ExecuteAsync(Request request, CancellationToken cancellationToken)
    {
        // The validator has accepted every field, so the parses below cannot fail.
        var errors = new List<KeyValuePair<string, string>>();
        var certificate = request.AcmCertificate is { } json ? AcmCertificate.Parse(json, "acmCertificate", errors) : null;
        var given = (request.ValidationRecords ?? [])
            .Select(r => (Name: Parse(r.Name!), Value: Parse(r.Value!)))
            .ToList();
        var subject = Subject.ForAcm((request.Domains ?? []).Select(text => HostName.TryParse(text, out var name, out _) ? name : DnsName.Root),
            certificate, given, Request.ParseProvider(request.Provider) ?? DnsProvider.Generic) with
        {
            ParentDs = (request.ParentDs ?? []).Select(text => DsData.TryParse(text, out var ds, out _) ? ds : throw new InvalidOperationException("validated")).ToList(),
        };
        var names = subject.Names;
        if (names.Count > Diagnose.Validator.MaxDomains)
        {
            ThrowError(r => r.Domains, $"At most {Diagnose.Validator.MaxDomains} names per request, counting the certificate's.");
        }

        if (request.Fixture is { } fixture)
        {
            return await _fixtures.RunAsync(RulesApi.Fixtures.FixtureScenario.BuiltIn[fixture], names, subject.Provider, _profile,
                TimeSpan.FromSeconds(_options.DeadlineSeconds), cancellationToken);
        }

        DnsName? origin = request.Origin is { } text ? DnsName.Parse(text.EndsWith('.') ? text : text + ".") : null;
        if (request.ZoneFile is null)
        {
            // No zone text and no fixture: ask the real DNS, iterating from the configured root servers.
            var live = new LiveDnsView(_dns);
            var context = new DiagnosisContext(subject.WithValidatedNames(), live, profile: _profile);
            var liveReport = await _engine.RunAsync(context, "live", TimeSpan.FromSeconds(_dns.DeadlineSeconds), cancellationToken);
            return liveReport with { Queries = live.QueryLog };
        }

        var report = await _diagnosis.RunAsync(request.ZoneFile!, origin, subject, _profile, TimeSpan.FromSeconds(_options.DeadlineSeconds), cancellationToken);
        if (report is null)
        {
            ThrowError(r => r.Origin, "The zone text does not say which zone it is (no $ORIGIN and no SOA with a full name): give 'origin', e.g. example.com.");
        }

        return report!;
    }

    private static DnsName Parse(string text) => AcmCertificate.TryRecordName(text, out var name, out _) ? name : DnsName.Root;
}
