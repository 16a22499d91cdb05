using Microsoft.AspNetCore.WebUtilities;

namespace RulesApi.Api.Contract;

/// <summary>
/// An error status that nothing wrote a body for (404 for an unknown path, 405 for a method the path does not take)
/// gets a problem document saying so, written by the service's problem details (one type base and trace id for every
/// problem, <see cref="ServiceSetup"/>). What <c>UseStatusCodePages</c> does for such answers, without what this service
/// does not use (re-executing another path, endpoints that opt out) and without the request <c>Items</c> table that
/// middleware made for every request, answered well or not.
/// </summary>
public sealed class StatusCodeProblemsMiddleware(RequestDelegate next, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        var response = context.Response;
        if (response.HasStarted || response.StatusCode is < 400 or >= 600 || response.ContentLength is not null || !string.IsNullOrEmpty(response.ContentType))
        {
            return;
        }

        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = { Status = response.StatusCode } }))
        {
            // A caller that accepts no JSON: the status in words, as plain text.
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync($"Status code {response.StatusCode}; {ReasonPhrases.GetReasonPhrase(response.StatusCode)}", context.RequestAborted);
        }
    }
}
