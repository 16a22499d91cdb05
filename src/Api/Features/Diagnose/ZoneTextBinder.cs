using System.Text;
using FastEndpoints;
using RulesApi.Rules.Diagnosis;

namespace RulesApi.Api.Features.Diagnose;

/// <summary>
/// Lets people send the zone itself — <c>curl --data-binary @example.com.zone -H 'Content-Type: text/dns'</c> —
/// with <c>?origin=</c> and optional <c>?domains=a,b</c>; JSON bodies take FastEndpoints' usual path.
/// </summary>
public sealed class ZoneTextBinder : RequestBinder<DiagnosisRequestFields>
{
    public const string ContentType = "text/dns";

    public override async ValueTask<DiagnosisRequestFields> BindAsync(BinderContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext.Request;
        if (http.ContentType is not { } type || !type.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return await base.BindAsync(context, cancellation);
        }

        using var reader = new StreamReader(http.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(cancellation);
        var domains = http.Query["domains"]
            .SelectMany(value => (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        return new DiagnosisRequestFields
        {
            ZoneFile = text,
            Origin = http.Query["origin"].FirstOrDefault(),
            Domains = domains.Count > 0 ? domains : null,
        };
    }
}
