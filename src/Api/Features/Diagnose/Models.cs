using System.Text.Json;
using FastEndpoints;
using FluentValidation;
using RulesApi.Dns.Names;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Report;

namespace RulesApi.Api.Features.Diagnose;

/// <summary>
/// What to diagnose. With <c>zoneFile</c> alone the zone is audited (every CAA set and the zone's
/// integrity); with <c>domains</c> too, those names are diagnosed against the zone.
/// </summary>
public sealed class Request
{
    /// <summary>Names to certify, as in the ACM request (wildcards such as *.example.com allowed); at most 100.</summary>
    public List<string>? Domains { get; set; }

    /// <summary>The zone in BIND master-file format, as providers export it.</summary>
    public string? ZoneFile { get; set; }

    /// <summary>The zone's name, when the zone text does not say it ($ORIGIN or an absolute SOA owner).</summary>
    public string? Origin { get; set; }

    /// <summary>A built-in offline scenario to diagnose instead of zone text (GET /fixtures lists them).</summary>
    public string? Fixture { get; set; }

    /// <summary>The CNAME records ACM asked for (name and value, as the ACM console shows them).</summary>
    public List<ValidationRecordInput>? ValidationRecords { get; set; }

    /// <summary>The output of 'aws acm describe-certificate', whole or its "Certificate" object.</summary>
    public JsonElement? AcmCertificate { get; set; }

    /// <summary>The DNS provider whose record form the remediation follows: godaddy, namecheap, cloudflare, route53 or generic.</summary>
    public string? Provider { get; set; }

    /// <summary>For a zone audit: the DS records the registrar publishes for the zone ("12345 13 2 49FD…", or whole DS lines), checked against the zone's DNSKEYs.</summary>
    public List<string>? ParentDs { get; set; }

    /// <summary>Reads the provider name; null when it is not one RulesApi knows.</summary>
    public static DnsProvider? ParseProvider(string? text) => text?.ToLowerInvariant() switch
    {
        null or "" or "generic" => DnsProvider.Generic,
        "godaddy" => DnsProvider.GoDaddy,
        "namecheap" => DnsProvider.Namecheap,
        "cloudflare" => DnsProvider.Cloudflare,
        "route53" => DnsProvider.Route53,
        _ => null,
    };
}

/// <summary>One validation record: the CNAME's name and value. Type, if given, must be CNAME.</summary>
public sealed class ValidationRecordInput
{
    public string? Name { get; set; }

    public string? Value { get; set; }

    public string? Type { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public const int MaxDomains = 100;

    public Validator()
    {
        RuleFor(request => request)
            .Must(request => request.Domains is { Count: > 0 } || request.ZoneFile is not null || request.Fixture is not null || request.AcmCertificate is not null || request.ValidationRecords is { Count: > 0 })
            .WithName("domains")
            .WithMessage("Give 'domains' (names to check), 'zoneFile' (zone text to audit), 'fixture', 'acmCertificate' or 'validationRecords'.")
            .OverridePropertyName("domains");
        RuleFor(request => request.Domains)
            .Must(domains => domains is null || domains.Count <= MaxDomains)
            .WithMessage($"At most {MaxDomains} names per request (ACM allows 100 names per certificate).");
        RuleForEach(request => request.Domains)
            .Custom((text, context) =>
            {
                if (!HostName.TryParse(text, out _, out var error))
                {
                    context.AddFailure(error);
                }
            });
        RuleFor(request => request.Fixture)
            .Must(fixture => fixture is null || RulesApi.Fixtures.FixtureScenario.BuiltIn.ContainsKey(fixture))
            .WithMessage(request => $"There is no fixture '{request.Fixture}'; GET /fixtures lists them.");
        RuleFor(request => request.Fixture)
            .Must((request, fixture) => fixture is null || request.ZoneFile is null)
            .WithMessage("Give either 'fixture' or 'zoneFile', not both.");
        RuleFor(request => request.Provider)
            .Must(provider => Request.ParseProvider(provider) is not null)
            .WithMessage(request => $"'{request.Provider}' is not a provider RulesApi knows: use godaddy, namecheap, cloudflare, route53 or generic.");
        RuleForEach(request => request.ParentDs)
            .Must(text => text is not null && Dns.Records.DsData.TryParse(text, out _, out _))
            .WithMessage("must be a DS record: key tag, algorithm, digest type and digest in hex (e.g. \"12345 13 2 49FD46E6…\")");

        RuleFor(request => request.ValidationRecords)
            .Must(records => records is null || records.Count <= MaxDomains)
            .WithMessage($"At most {MaxDomains} validation records per request.");
        RuleForEach(request => request.ValidationRecords)
            .Custom((record, context) =>
            {
                // FluentValidation prefixes these names with the item's path: validationRecords[0].type.
                if (record is null)
                {
                    context.AddFailure("must be an object with 'name' and 'value'.");
                    return;
                }

                if (record.Type is { } type && !string.Equals(type, "CNAME", StringComparison.OrdinalIgnoreCase))
                {
                    context.AddFailure("type", $"is '{type}'; ACM's DNS validation records are always CNAME.");
                }

                foreach (var (field, text) in new[] { ("name", record.Name), ("value", record.Value) })
                {
                    if (text is null)
                    {
                        context.AddFailure(field, "is missing.");
                    }
                    else if (!AcmCertificate.TryRecordName(text, out _, out var error))
                    {
                        context.AddFailure(field, error);
                    }
                }
            });
        RuleFor(request => request.AcmCertificate)
            .Custom((json, context) =>
            {
                if (json is not { } element)
                {
                    return;
                }

                var errors = new List<KeyValuePair<string, string>>();
                AcmCertificate.Parse(element, "acmCertificate", errors);
                foreach (var (field, message) in errors)
                {
                    context.AddFailure(field, message);
                }
            });
        RuleFor(request => request.Origin)
            .Custom((text, context) =>
            {
                if (text is not null && !DnsName.TryParse(text.EndsWith('.') ? text : text + ".", out _, out var error))
                {
                    context.AddFailure($"'{text}' is not a domain name: {error}.");
                }
            });
    }
}
