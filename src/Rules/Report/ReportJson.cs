using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;

namespace RulesApi.Rules.Report;

/// <summary>
/// How a report is written as JSON — one set of settings for the API and the command line's <c>--json</c>,
/// so that the same request gives the same bytes from both: camelCase fields, enums as kebab-case words
/// (<c>at-risk</c>), absent values left out, and quotes in record values written as quotes.
/// </summary>
public static class ReportJson
{
    /// <summary>
    /// The enums a report holds, each written as its kebab-case word by a converter made for it: the command line is
    /// compiled ahead of time, where the one converter for every enum (it makes its converters at run time) cannot
    /// work. A test walks the report's types and fails when an enum is missing here.
    /// </summary>
    public static IReadOnlyList<JsonConverter> EnumConverters { get; } =
    [
        Kebab<Severity>(), Kebab<Verdict>(), Kebab<RecordAction>(), Kebab<DnsProvider>(), Kebab<CaaSetStatus>(),
        Kebab<Dns.Views.FailureKind>(),
    ];

    /// <summary>
    /// The report's settings with the serializer's description of every report type made at compile time
    /// (<see cref="ReportJsonContext"/>): the command line compiled ahead of time has no reflection to make it, and
    /// nobody pays the tenth of a second reflection took on the first report.
    /// </summary>
    public static readonly JsonSerializerOptions Options = For(ReportJsonContext.Default);

    /// <summary>The report's settings over the given compile-time descriptions (a caller's own context for its own types).</summary>
    public static JsonSerializerOptions For(IJsonTypeInfoResolver types)
    {
        var options = Settings(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        foreach (var converter in EnumConverters)
        {
            options.Converters.Add(converter);
        }

        options.TypeInfoResolver = types;
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Gives existing options (the web framework's own, which describe their types by reflection) the report's settings.</summary>
    [System.Diagnostics.CodeAnalysis.RequiresDynamicCode("Enums are converted by a factory that makes its converters at run time.")]
    public static JsonSerializerOptions Apply(JsonSerializerOptions options)
    {
        Settings(options);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        return options;
    }

    private static JsonSerializerOptions Settings(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        // The output is JSON for programs and people, never embedded in HTML: "0 issue \"amazon.com\"" stays readable.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return options;
    }

    private static JsonStringEnumConverter<T> Kebab<T>()
        where T : struct, Enum => new(JsonNamingPolicy.KebabCaseLower);

    private static readonly JsonTypeInfo<DiagnosisReport> Report = (JsonTypeInfo<DiagnosisReport>)Options.GetTypeInfo(typeof(DiagnosisReport));

    public static string Serialize(DiagnosisReport report) => JsonSerializer.Serialize(report, Report);

    /// <summary>
    /// Makes the serializer's description of every type a report holds, which it otherwise makes the first time it
    /// writes one: a caller that will write JSON can have it done on an idle core while the zone is still being read.
    /// </summary>
    public static void Prepare()
    {
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

/// <summary>The serializer's description of a report's types, generated at compile time; used through <see cref="ReportJson.Options"/>.</summary>
[JsonSerializable(typeof(DiagnosisReport))]
public sealed partial class ReportJsonContext : JsonSerializerContext;
