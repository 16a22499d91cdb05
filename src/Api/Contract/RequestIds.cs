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
        // With tracing on, ASP.NET Core starts an Activity per request, honouring a valid incoming traceparent. Without
        // it, none is started (ServiceSetup silences the hosting's own request log lines, whose logger alone made one
        // for every request: a tenth of a small diagnosis's cost), and the id is read from the traceparent here,
        // by the same parser, or made anew.
        context.TraceIdentifier = Activity.Current is { } activity
            ? activity.TraceId.ToHexString()
            : ActivityContext.TryParse(context.Request.Headers.TraceParent.ToString(), null, isRemote: true, out var caller)
                ? caller.TraceId.ToHexString()
                : ActivityTraceId.CreateRandom().ToHexString();

        var given = context.Request.Headers[RequestIdHeader].ToString();
        if (IsAcceptable(given))
        {
            context.Response.OnStarting(static state =>
            {
                var (response, echoed) = ((HttpResponse, string))state;
                response.Headers[RequestIdHeader] = echoed;
                return Task.CompletedTask;
            }, (context.Response, given));
        }
        else
        {
            // The usual case, without a closure: the trace id is echoed.
            context.Response.OnStarting(static state =>
            {
                var http = (HttpContext)state;
                http.Response.Headers[RequestIdHeader] = http.TraceIdentifier;
                return Task.CompletedTask;
            }, context);
        }

        return next(context);
    }

    private static bool IsAcceptable(string id) =>
        id.Length is > 0 and <= MaxRequestIdLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
