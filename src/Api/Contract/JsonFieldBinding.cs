using System.Text.Json;
using FastEndpoints;
using FluentValidation.Results;
using RulesApi.Rules.Diagnosis;

namespace RulesApi.Api.Contract;

/// <summary>
/// The binding of a JSON body read field by field (<see cref="DiagnosisRequestJson"/>, <c>AccountScanJson</c>) rather than
/// deserialized: a body that is not JSON, or whose fields are of the wrong shape or name, fails with the problems named
/// in the API's words, as every endpoint that reads one answers them.
/// </summary>
public static class JsonFieldBinding
{
    /// <summary>
    /// The fields <paramref name="read"/> makes of the body, which reports what it refuses into the list it is given and
    /// returns null then. Failures go into the context's list, which the endpoint answers with when the exception reaches it.
    /// </summary>
    /// <remarks>
    /// <paramref name="read"/> is given the request and the token rather than capturing them, so that callers pass a static
    /// lambda: a closure and a delegate for each request were garbage.
    /// </remarks>
    public static async ValueTask<T> ReadAsync<T>(BinderContext context, CancellationToken cancellation,
        Func<HttpContext, List<FieldError>, CancellationToken, ValueTask<T?>> read)
        where T : class
    {
        var errors = new List<FieldError>();
        T? fields;
        try
        {
            fields = await read(context.HttpContext, errors, cancellation);
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
