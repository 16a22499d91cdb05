using Microsoft.AspNetCore.Diagnostics;

namespace RulesApi.Api;

/// <summary>
/// The answer to a bug: 500 with a problem document that says nothing of what broke inside (exception
/// texts name types, paths and data), and the trace id under which the exception was logged, so a report
/// from a user leads to the log entry.
/// </summary>
public sealed partial class UnhandledExceptionHandler(ILogger<UnhandledExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var traceId = context.TraceIdentifier;
        LogUnhandled(logger, exception, context.Request.Method, context.Request.Path, traceId);
        if (context.Response.HasStarted)
        {
            return false;
        }

        context.Response.Clear();
        await Results.Problem(
            statusCode: StatusCodes.Status500InternalServerError,
            title: "Internal server error",
            detail: $"RulesApi failed while answering this request. This is a bug in RulesApi, not a mistake in the request; it was logged with trace id {traceId}: please give that id when reporting it.",
            extensions: new Dictionary<string, object?> { ["traceId"] = traceId }).ExecuteAsync(context);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception answering {Method} {Path} (trace id {TraceId})")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path, string traceId);
}
