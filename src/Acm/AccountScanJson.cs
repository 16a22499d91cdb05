using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using RulesApi.Rules.Report;

namespace RulesApi.Acm;

/// <summary>An account scan as JSON, with a report's settings (<see cref="ReportJson"/>): the bytes the API answers.</summary>
public static class AccountScanJson
{
    private static readonly JsonTypeInfo<AccountScanReport> Scan =
        (JsonTypeInfo<AccountScanReport>)ReportJson.For(AccountScanJsonContext.Default).GetTypeInfo(typeof(AccountScanReport));

    public static string Serialize(AccountScanReport report) => JsonSerializer.Serialize(report, Scan);
}

/// <summary>The serializer's description of a scan's types, generated at compile time (the command line is compiled ahead of time).</summary>
[JsonSerializable(typeof(AccountScanReport))]
internal sealed partial class AccountScanJsonContext : JsonSerializerContext;
