using System.Text.Json;
using FastEndpoints;
using RulesApi.Acm;
using RulesApi.Api.Contract;

namespace RulesApi.Api.Features.DiagnoseAccount;

/// <summary>
/// Reads a scan's JSON body with <see cref="AccountScanJson.Read"/> rather than the serializer, whose errors named .NET
/// types (<c>RulesApi.Acm.AccountScanFields</c>, <c>Int32</c>): a field of the wrong shape, given twice or unknown is
/// refused by its name in the API's words, as POST /diagnose refuses it.
/// </summary>
public sealed class ScanBinder : RequestBinder<AccountScanFields>
{
    public override ValueTask<AccountScanFields> BindAsync(BinderContext context, CancellationToken cancellation) =>
        JsonFieldBinding.ReadAsync(context, cancellation, static async (http, errors, cancellation) =>
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, default, cancellation);
            return AccountScanJson.Read(document.RootElement, errors);
        });
}
