using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RulesApi.Rules.Report;

/// <summary>
/// How a report is written as JSON — one set of settings for the API and the command line's <c>--json</c>,
/// so that the same request gives the same bytes from both: camelCase fields, enums as kebab-case words
/// (<c>at-risk</c>), absent values left out, and quotes in record values written as quotes.
/// </summary>
public static class ReportJson
{
    public static readonly JsonSerializerOptions Options = Apply(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Gives existing options (the web framework's own) the report's settings.</summary>
    public static JsonSerializerOptions Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        // The output is JSON for programs and people, never embedded in HTML: "0 issue \"amazon.com\"" stays readable.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return options;
    }

    public static string Serialize(DiagnosisReport report) => JsonSerializer.Serialize(report, Options);
}
