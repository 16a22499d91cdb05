using FastEndpoints;
using FluentValidation;
using RulesApi.Dns.Names;

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
}

public sealed class Validator : Validator<Request>
{
    public const int MaxDomains = 100;

    public Validator()
    {
        RuleFor(request => request)
            .Must(request => request.Domains is { Count: > 0 } || request.ZoneFile is not null)
            .WithName("domains")
            .WithMessage("Give 'domains' (names to check), 'zoneFile' (zone text to audit), or both.")
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
