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

    /// <summary>
    /// Builds the serializer's description of every type a report holds, which it otherwise builds the first time
    /// it writes one (a tenth of a second, by reflection): a caller that will write JSON can have it done on an
    /// idle core while the zone is still being read, rather than after the rules.
    /// </summary>
    public static void Prepare()
    {
        // As the serializer itself does on first use: the reflection-based resolver, and no more changes.
        Options.MakeReadOnly(populateMissingResolver: true);
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([typeof(DiagnosisReport)]);
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            var info = Options.GetTypeInfo(type);
            foreach (var inner in info.Properties.Select(property => property.PropertyType).Append(info.ElementType).Append(info.KeyType))
            {
                if (inner is not null)
                {
                    pending.Push(Nullable.GetUnderlyingType(inner) ?? inner);
                }
            }
        }
    }
}
