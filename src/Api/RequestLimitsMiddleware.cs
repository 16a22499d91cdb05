using Microsoft.Extensions.Options;

namespace RulesApi.Api;

/// <summary>
/// Answers a body without a content type with 415 and an oversized body with 413 and a problem document before anything reads it, and turns
/// Kestrel's own "bad request" (a chunked body that grows past the limit) into the same answer
/// instead of a 500.
/// </summary>
public sealed class RequestLimitsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ServiceOptions _options;

    public RequestLimitsMiddleware(RequestDelegate next, IOptions<ServiceOptions> options)
    {
        _next = next;
        _options = options.Value;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > _options.MaxBodyBytes)
        {
            await WriteTooLarge(context);
            return;
        }

        if (context.Request.ContentType is null && (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0))
        {
            await Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The request body has no Content-Type",
                detail: "Send JSON with 'Content-Type: application/json', or zone text with 'Content-Type: text/dns'.").ExecuteAsync(context);
            return;
        }

        try
        {
            await _next(context);
        }
        catch (BadHttpRequestException error) when (!context.Response.HasStarted)
        {
            if (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await WriteTooLarge(context);
                return;
            }

            context.Response.StatusCode = error.StatusCode;
            // Kestrel's words for a slow body name its own setting (MinRequestBodyDataRate): the caller is told what to send.
            var detail = error.StatusCode == StatusCodes.Status408RequestTimeout
                ? "The body arrived too slowly, or stopped before the length its Content-Length declared: send the whole body at once."
                : error.Message;
            await Results.Problem(statusCode: error.StatusCode, title: "The request could not be read", detail: detail).ExecuteAsync(context);
        }
    }

    private Task WriteTooLarge(HttpContext context)
    {
        return Results.Problem(
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "The request body is too large",
            detail: $"The body may be at most {_options.MaxBodyBytes} bytes (configure Api:MaxBodyBytes).").ExecuteAsync(context);
    }
}
