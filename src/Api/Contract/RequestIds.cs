using System.Diagnostics;

namespace RulesApi.Api.Contract;

/// <summary>
/// One id per request, in one format everywhere: the W3C trace id (32 hex digits) — taken from the
/// caller's <c>traceparent</c> when it sends one, so a request keeps its identity across services. It is
/// the <c>traceId</c> of every problem document and of the logs; the caller's <c>X-Request-Id</c> is
/// echoed (or, when none was sent, the trace id is).
/// </summary>
public sealed class RequestIdsMiddleware(RequestDelegate next)
{
    public const string RequestIdHeader = "X-Request-Id";

    /// <summary>Longer or stranger ids are not echoed: a header must not carry arbitrary text back.</summary>
    private const int MaxRequestIdLength = 128;

    public Task InvokeAsync(HttpContext context)
    {
        // ASP.NET Core starts an Activity per request, honouring a valid incoming traceparent.
        if (Activity.Current is { } activity)
        {
            context.TraceIdentifier = activity.TraceId.ToHexString();
        }

        var given = context.Request.Headers[RequestIdHeader].ToString();
        var echoed = IsAcceptable(given) ? given : context.TraceIdentifier;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[RequestIdHeader] = echoed;
            return Task.CompletedTask;
        });
        return next(context);
    }

    private static bool IsAcceptable(string id) =>
        id.Length is > 0 and <= MaxRequestIdLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
