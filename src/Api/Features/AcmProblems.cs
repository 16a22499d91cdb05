using System.Globalization;
using RulesApi.Acm;
using RulesApi.Api.Contract;

namespace RulesApi.Api.Features;

/// <summary>
/// ACM's refusals and failures as problem documents: 403 (calls to ACM disabled, or not allowed), 404
/// (no such certificate), 503 (no or rejected credentials, throttling — with Retry-After — or ACM not
/// answering); never a 500. A malformed ARN is a 400 naming the field, answered by the endpoint itself.
/// </summary>
public static class AcmProblems
{
    public static IResult For(AcmException failure, HttpContext context)
    {
        if (failure.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        var extensions = new Dictionary<string, object?> { ["kind"] = failure.Kind.ToString() };
        if (failure.AwsErrorCode is { Length: > 0 } code)
        {
            extensions["awsErrorCode"] = code;
        }

        var type = failure.HttpStatus switch
        {
            StatusCodes.Status400BadRequest => Problems.Validation,
            StatusCodes.Status403Forbidden => Problems.AcmForbidden,
            StatusCodes.Status404NotFound => Problems.CertificateNotFound,
            _ => Problems.AcmUnavailable,
        };
        return Results.Problem(statusCode: failure.HttpStatus, title: failure.Title, detail: failure.Message, type: type, extensions: extensions);
    }
}
