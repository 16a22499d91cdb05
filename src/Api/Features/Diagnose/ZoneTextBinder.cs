using System.Text.Json;
using FastEndpoints;
using FluentValidation.Results;
using RulesApi.Rules.Diagnosis;

namespace RulesApi.Api.Features.Diagnose;

/// <summary>
/// Lets people send the zone itself — <c>curl --data-binary @example.com.zone -H 'Content-Type: text/dns'</c> —
/// with <c>?origin=</c> and optional <c>?domains=a,b</c>, <c>?provider=</c> and <c>?ca=</c>; any other query
/// parameter is refused by name, rather than ignored. A JSON body is read by <see cref="DiagnosisRequestJson"/>
/// rather than deserialized: a field of the wrong shape is reported in the API's words (not as a .NET type),
/// and an unknown field is refused instead of ignored.
/// </summary>
public sealed class ZoneTextBinder : RequestBinder<DiagnosisRequestFields>
{
    public const string ContentType = DiagnosisRequestText.ContentType;

    /// <summary>The query parameters a text/dns body may come with.</summary>
    public static IReadOnlyList<string> QueryParameters => DiagnosisRequestText.QueryParameters;

    /// <summary>The most unknown query parameters a refusal names one by one; the rest are counted.</summary>
    public const int MaxUnknownNamed = 10;

    public override async ValueTask<DiagnosisRequestFields> BindAsync(BinderContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext.Request;
        if (http.ContentType is { } json && IsJson(json))
        {
            return await BindJsonAsync(context, cancellation);
        }

        if (http.ContentType is not { } type || !type.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return await base.BindAsync(context, cancellation);
        }

        var unknown = http.Query.Keys.Where(key => !QueryParameters.Contains(key, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            // The parameter is quoted back cut short, and only the first few are named: an error must not cost more than the request did.
            context.ValidationFailures.AddRange(unknown.Take(MaxUnknownNamed).Select(key => new ValidationFailure(Echo.Short(key, Echo.MaxQuoted),
                $"'{Echo.Quoted(key)}' is not a query parameter of a text/dns diagnosis: use {string.Join(", ", QueryParameters)}.")));
            if (unknown.Count > MaxUnknownNamed)
            {
                context.ValidationFailures.Add(new ValidationFailure("query",
                    $"{unknown.Count - MaxUnknownNamed} more query parameters this request does not take are not named here."));
            }

            throw new ValidationFailureException(context.ValidationFailures, "The query string has a parameter this request does not take.");
        }

        // The body goes once into pooled chunks, as UTF-8, and the parser reads it from there: a large zone is
        // never also a string. The chunks go back to the pool when the response is done.
        var text = await ZoneTextBuffer.ReadAsync(http.Body, cancellation);
        context.HttpContext.Response.RegisterForDispose(text);
        return DiagnosisRequestText.Fields(text, http.Query["origin"].FirstOrDefault(), http.Query["domains"],
            http.Query["provider"].FirstOrDefault(), http.Query["ca"].FirstOrDefault());
    }

    private static bool IsJson(string contentType)
    {
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Failures go into the context's list, which the endpoint answers with when the exception reaches it.</summary>
    private static async Task<DiagnosisRequestFields> BindJsonAsync(BinderContext context, CancellationToken cancellation)
    {
        var errors = new List<FieldError>();
        DiagnosisRequestFields? fields;
        try
        {
            // zoneFile is unescaped once, into pooled UTF-8 chunks, and the body (a document, or for a large one an
            // array read field by field: JsonBody) is let go before the diagnosis runs: a large zone is held once at a
            // byte a character, not as a string beside the body.
            fields = await JsonBody.ReadAsync(context.HttpContext.Request, errors, cancellation);
            if (fields?.ZoneText is { } zoneText)
            {
                context.HttpContext.Response.RegisterForDispose(zoneText);
            }
        }
        catch (JsonException error)
        {
            // The same name FastEndpoints gives a body that is not JSON; the message names no .NET type.
            context.ValidationFailures.Add(new ValidationFailure("serializerErrors", error.Message));
            throw new ValidationFailureException(context.ValidationFailures, "The body is not JSON.");
        }

        if (fields is null)
        {
            context.ValidationFailures.AddRange(errors.Select(error => new ValidationFailure(error.Field, error.Message)));
            throw new ValidationFailureException(context.ValidationFailures, "The body has fields of the wrong shape or name.");
        }

        return fields;
    }
}
