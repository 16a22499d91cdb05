using System.Buffers;
using System.Text;
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
    /// The converters of a report's types: each enum written as its kebab-case word by a converter made for it (the
    /// command line is compiled ahead of time, where the one converter for every enum, which makes its converters at
    /// run time, cannot work), and a finding's location (<see cref="SourceLocationJson"/>). They are those
    /// <see cref="ReportJsonContext"/>'s attribute names; a test walks the report's types and fails when an enum is
    /// missing there.
    /// </summary>
    public static IReadOnlyList<JsonConverter> Converters { get; } = [.. ReportJsonContext.Default.Options.Converters];

    /// <summary>An enum written as its kebab-case word; a class of its own so that <see cref="ReportJsonContext"/>'s attribute can name it.</summary>
    public sealed class KebabCase<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.KebabCaseLower)
        where T : struct, Enum;

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
        foreach (var converter in Converters)
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

    private static readonly JsonTypeInfo<DiagnosisReport> Report = (JsonTypeInfo<DiagnosisReport>)Options.GetTypeInfo(typeof(DiagnosisReport));

    /// <summary>
    /// The writer's half of the settings: the serializer only takes its compile-time code (below) with options that set no
    /// encoder, so the encoder is given to the writer instead. Not validated: the code that writes is generated.
    /// </summary>
    private static readonly JsonWriterOptions Writer = new() { Encoder = Options.Encoder, SkipValidation = true };

    /// <summary>
    /// The code <see cref="ReportJsonContext"/> generated to write a report property by property, straight into the writer.
    /// The serializer uses it only with the context's own options, which cannot name an encoder; through
    /// <see cref="Options"/> it walked the report by its description instead, which took twice the time (a fifth of
    /// the CPU of a POST /diagnose with the sample zone went to writing its 21 KB answer).
    /// </summary>
    private static readonly Action<Utf8JsonWriter, DiagnosisReport>? WriteReport = ReportJsonContext.Default.DiagnosisReport.SerializeHandler;

    /// <summary>The report as JSON into <paramref name="output"/>, with the same bytes as <see cref="Serialize"/>.</summary>
    public static void Write(IBufferWriter<byte> output, DiagnosisReport report)
    {
        // One writer per thread, pointed at each output in turn (writing is synchronous, so never two at once on a
        // thread): a writer per report was garbage on every request. Reset again afterwards, so that it does not
        // hold on to the output until the thread writes its next report.
        var writer = t_writer ??= new Utf8JsonWriter(Nowhere, Writer);
        writer.Reset(output);
        try
        {
            if (WriteReport is { } write)
            {
                write(writer, report);
            }
            else
            {
                JsonSerializer.Serialize(writer, report, Report);
            }

            writer.Flush();
        }
        finally
        {
            writer.Reset(Nowhere);
        }
    }

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// The report as JSON, whole, in a buffer of this thread's: for a caller that needs the length before the bytes (an HTTP
    /// answer with Content-Length rather than in chunks). Copy the bytes out, then dispose, before anything else on the
    /// thread can render; a buffer grown for a large answer then goes back to the shared pool.
    /// </summary>
    public static RenderedReport Render(DiagnosisReport report)
    {
        var buffer = t_render ??= new RenderBuffer();
        buffer.Clear();
        try
        {
            Write(buffer, report);
        }
        catch
        {
            buffer.Shrink();
            throw;
        }

        return new RenderedReport(buffer);
    }

    [ThreadStatic]
    private static RenderBuffer? t_render;

    /// <summary>What an idle writer points at; never written to. A buffer writer, not Stream.Null: a writer reset onto a stream makes a buffer of its own each time.</summary>
    private static readonly ArrayBufferWriter<byte> Nowhere = new(1);

    public static string Serialize(DiagnosisReport report)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        Write(buffer, report);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

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

/// <summary>
/// The serializer's description of a report's types and the code that writes them, generated at compile time with the
/// report's settings (all but the encoder, which an attribute cannot name: <see cref="ReportJson.Write"/> gives it to the writer).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(ReportJson.KebabCase<Severity>), typeof(ReportJson.KebabCase<Verdict>), typeof(ReportJson.KebabCase<RecordAction>),
        typeof(ReportJson.KebabCase<DnsProvider>), typeof(ReportJson.KebabCase<CaaSetStatus>), typeof(ReportJson.KebabCase<Dns.Views.FailureKind>),
        typeof(SourceLocationJson)])]
[JsonSerializable(typeof(DiagnosisReport))]
public sealed partial class ReportJsonContext : JsonSerializerContext;
