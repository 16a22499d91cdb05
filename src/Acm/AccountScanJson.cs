using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Report;

namespace RulesApi.Acm;

/// <summary>An account scan as JSON, with a report's settings (<see cref="ReportJson"/>): the bytes the API answers.</summary>
public static class AccountScanJson
{
    private static readonly JsonTypeInfo<AccountScanReport> Scan =
        (JsonTypeInfo<AccountScanReport>)ReportJson.For(AccountScanJsonContext.Default).GetTypeInfo(typeof(AccountScanReport));

    public static string Serialize(AccountScanReport report) => JsonSerializer.Serialize(report, Scan);

    private static readonly string[] Fields = ["region", "maxCertificates", "provider", "zoneFile", "origin", "fixture"];

    /// <summary>
    /// Reads the body of <c>POST /diagnose/account</c> as <see cref="DiagnosisRequestJson"/> reads a diagnosis's: each field of
    /// the wrong shape, given twice or unknown (with the nearest known one) is named by its path in the API's words, where the
    /// serializer named .NET types (<c>RulesApi.Acm.AccountScanFields</c>, <c>Int32</c>), took <c>"5"</c> for 5 and kept the last
    /// of two copies. Returns null and fills <paramref name="errors"/> when any field is wrong.
    /// </summary>
    public static AccountScanFields? Read(JsonElement body, List<FieldError> errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(DiagnosisRequestJson.BodyField, $"The body must be a JSON object such as {{\"region\": \"us-east-1\"}}, not {DiagnosisRequestJson.Describe(body)}."));
            return null;
        }

        if (JsonTextCheck.FirstInvalidText(body, "") is { } invalid)
        {
            errors.Add(DiagnosisRequestJson.InvalidText(invalid));
            return null;
        }

        var fields = new AccountScanFields();
        var seen = 0;
        foreach (var property in body.EnumerateObject())
        {
            if (errors.Count >= DiagnosisRequestJson.MaxErrorsListed)
            {
                errors.Add(new FieldError(DiagnosisRequestJson.BodyField,
                    $"There may be more problems: only the first {DiagnosisRequestJson.MaxErrorsListed} are listed. Fix them and send the body again."));
                break;
            }

            // Unknown (with the nearest known field) or given twice: named as POST /diagnose names it.
            if (DiagnosisRequestJson.Once(DiagnosisRequestJson.Known(property.Name, Fields, property.Name, errors), Fields, ref seen, "", errors) is not { } field)
            {
                continue;
            }

            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (field == "maxCertificates")
            {
                if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var max))
                {
                    fields.MaxCertificates = max;
                }
                else
                {
                    errors.Add(new FieldError(field, $"maxCertificates must be a whole number such as 20, not {(value.ValueKind == JsonValueKind.Number ? Echo.Quoted(value.GetRawText()) : DiagnosisRequestJson.Describe(value))}."));
                }

                continue;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                errors.Add(new FieldError(field, $"{field} must be a string, not {DiagnosisRequestJson.Describe(value)}."));
                continue;
            }

            var text = value.GetString();
            switch (field)
            {
                case "region":
                    fields.Region = text;
                    break;
                case "provider":
                    fields.Provider = text;
                    break;
                case "zoneFile":
                    fields.ZoneFile = text;
                    break;
                case "origin":
                    fields.Origin = text;
                    break;
                default:
                    fields.Fixture = text;
                    break;
            }
        }

        return errors.Count > 0 ? null : fields;
    }
}

/// <summary>The serializer's description of a scan's types, generated at compile time (the command line is compiled ahead of time).</summary>
[JsonSerializable(typeof(AccountScanReport))]
internal sealed partial class AccountScanJsonContext : JsonSerializerContext;
