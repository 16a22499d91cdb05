using System.Text.Json;
using FastEndpoints;
using FluentValidation.Results;
using RulesApi.Acm;
using RulesApi.Rules.Diagnosis;

namespace RulesApi.Api.Features.DiagnoseAccount;

/// <summary>
/// Reads a scan's JSON body with <see cref="AccountScanJson.Read"/> rather than the serializer, whose errors named .NET
/// types (<c>RulesApi.Acm.AccountScanFields</c>, <c>Int32</c>): a field of the wrong shape, given twice or unknown is
/// refused by its name in the API's words, as POST /diagnose refuses it.
/// </summary>
public sealed class ScanBinder : RequestBinder<AccountScanFields>
{
    public override async ValueTask<AccountScanFields> BindAsync(BinderContext context, CancellationToken cancellation)
    {
        var errors = new List<FieldError>();
        AccountScanFields? fields;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.HttpContext.Request.Body, default, cancellation);
            fields = AccountScanJson.Read(document.RootElement, errors);
        }
        catch (JsonException error)
        {
            // The same name POST /diagnose gives a body that is not JSON; the message names no .NET type.
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
