namespace RulesApi.Api;

/// <summary>
/// Refuses, with 401, a request that needs a key (<see cref="ApiKeys.IsOpen"/>) and has none or a wrong one. It runs
/// after the rate limiter, so requests with made-up keys are counted against their address and cannot flood.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeys keys)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!keys.Enabled || ApiKeys.IsOpen(context.Request.Path))
        {
            return next(context);
        }

        var check = keys.Check(context);
        return check.Outcome == ApiKeyOutcome.Valid ? next(context) : ApiKeys.RefuseAsync(context, check.Outcome);
    }
}
