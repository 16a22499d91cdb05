using FastEndpoints;
using FluentValidation.Results;
using RulesApi.Api.Contract;
using RulesApi.Rules.Diagnosis;

namespace RulesApi.Api.Features.Diagnose;

/// <summary>
/// Lets people send the zone itself — <c>curl --data-binary @example.com.zone -H 'Content-Type: text/dns'</c> —
/// with <c>?origin=</c> and optional <c>?domains=a,b</c>, <c>?provider=</c> and <c>?ca=</c>; any other query
/// parameter, or one of those but <c>domains</c> given twice, is refused by name, rather than ignored. A JSON body
/// takes no query parameters, and is read by <see cref="DiagnosisRequestJson"/> rather than deserialized: a field of
/// the wrong shape is reported in the API's words (not as a .NET type), and an unknown field is refused instead of ignored.
/// </summary>
public sealed class ZoneTextBinder : RequestBinder<DiagnosisRequestFields>
{
    public const string ContentType = DiagnosisRequestText.ContentType;

    /// <summary>The query parameters a text/dns body may come with.</summary>
    public static IReadOnlyList<string> QueryParameters => DiagnosisRequestText.QueryParameters;

    /// <summary>The query parameters that take one value.</summary>
    private static readonly string[] SingleValued = ["origin", "provider", "ca"];

    /// <summary>The most unknown query parameters a refusal names one by one; the rest are counted.</summary>
    public const int MaxUnknownNamed = 10;

    public override async ValueTask<DiagnosisRequestFields> BindAsync(BinderContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext.Request;
        if (http.ContentType is { } json && IsJson(json))
        {
            if (http.Query.Count > 0)
            {
                // The query parameters are text/dns's; with JSON they would be ignored, and ?domains=… dropped without a word.
                Refuse(context, http.Query.Keys, key => QueryParameters.Contains(key, StringComparer.Ordinal)
                    ? $"'{key}' is a query parameter of a text/dns body; with a JSON body, give '{key}' in the body."
                    : $"'{Echo.Quoted(key)}' is not a query parameter: a JSON body takes none.");
                throw new ValidationFailureException(context.ValidationFailures, "A JSON body takes no query parameters.");
            }

            return await BindJsonAsync(context, cancellation);
        }

        if (http.ContentType is not { } type || !type.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return await base.BindAsync(context, cancellation);
        }

        var unknown = http.Query.Keys.Where(key => !QueryParameters.Contains(key, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            Refuse(context, unknown, key => $"'{Echo.Quoted(key)}' is not a query parameter of a text/dns diagnosis: use {string.Join(", ", QueryParameters)}.");
            throw new ValidationFailureException(context.ValidationFailures, "The query string has a parameter this request does not take.");
        }

        // Only domains is a list; another parameter given twice would have its second copy dropped without a word.
        var repeated = SingleValued.Where(key => http.Query[key].Count > 1).ToList();
        if (repeated.Count > 0)
        {
            context.ValidationFailures.AddRange(repeated.Select(key => new ValidationFailure(key,
                $"'{key}' is given {http.Query[key].Count} times; give it once (only domains may be repeated).")));
            throw new ValidationFailureException(context.ValidationFailures, "The query string gives a parameter more than once.");
        }

        // The body goes once into pooled chunks, as UTF-8, and the parser reads it from there: a large zone is
        // never also a string. The chunks go back to the pool when the response is done.
        var text = await ZoneTextBuffer.ReadAsync(http.Body, cancellation);
        context.HttpContext.Response.RegisterForDispose(text);
        return DiagnosisRequestText.Fields(text, http.Query["origin"].FirstOrDefault(), http.Query["domains"],
            http.Query["provider"].FirstOrDefault(), http.Query["ca"].FirstOrDefault());
    }

    /// <summary>
    /// Names the query parameters a request does not take. Each is quoted back cut short, and only the first few are
    /// named: an error must not cost more than the request did.
    /// </summary>
    private static void Refuse(BinderContext context, IEnumerable<string> keys, Func<string, string> reason)
    {
        var refused = keys.Order(StringComparer.Ordinal).ToList();
        context.ValidationFailures.AddRange(refused.Take(MaxUnknownNamed).Select(key => new ValidationFailure(Echo.Short(key, Echo.MaxQuoted), reason(key))));
        if (refused.Count > MaxUnknownNamed)
        {
            context.ValidationFailures.Add(new ValidationFailure("query",
                $"{refused.Count - MaxUnknownNamed} more query parameters this request does not take are not named here."));
        }
    }

    private static bool IsJson(string contentType)
    {
        var end = contentType.IndexOf(';', StringComparison.Ordinal);
        var mediaType = (end < 0 ? contentType.AsSpan() : contentType.AsSpan(0, end)).Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Failures go into the context's list, which the endpoint answers with when the exception reaches it.</summary>
    private static ValueTask<DiagnosisRequestFields> BindJsonAsync(BinderContext context, CancellationToken cancellation) =>
        JsonFieldBinding.ReadAsync(context, cancellation, static async (http, errors, cancellation) =>
        {
            // zoneFile is unescaped once, into pooled UTF-8 chunks, and the body (a document, or for a large one an
            // array read field by field: JsonBody) is let go before the diagnosis runs: a large zone is held once at a
            // byte a character, not as a string beside the body.
            var fields = await JsonBody.ReadAsync(http.Request, errors, cancellation);
            if (fields?.ZoneText is { } zoneText)
            {
                http.Response.RegisterForDispose(zoneText);
            }

            return fields;
        });
}
