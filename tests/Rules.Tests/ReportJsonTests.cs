using System.Reflection;
using System.Text.Json;
using RulesApi.Rules.Report;

namespace RulesApi.Rules.Tests;

/// <summary>
/// A report's JSON is described at compile time, and its enums are written by one converter each
/// (<see cref="ReportJson.Converters"/>): an enum a report holds that has none would be written as a number.
/// </summary>
public sealed class ReportJsonTests
{
    [Fact]
    public void A_report_written_after_a_write_that_threw_has_the_same_bytes()
    {
        // The writer is one per thread, pointed at each output in turn: one left midway must not spoil the next report.
        var report = new DiagnosisReport("fixture:healthy", [new NameVerdict("www.example.com.", Contract.Verdict.Ok)], [], ["CAA001", "VAL001"], 0, null);
        var expected = ReportJson.Serialize(report);

        Assert.Throws<InvalidOperationException>(() => ReportJson.Write(new FailingOutput(), report));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        ReportJson.Write(buffer, report);

        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>Gives 16 bytes once, then fails: a write stopped midway, with the writer deep in the report.</summary>
    private sealed class FailingOutput : System.Buffers.IBufferWriter<byte>
    {
        private int _asked;

        public void Advance(int count)
        {
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => ++_asked > 1 ? throw new InvalidOperationException("output failed") : new byte[Math.Max(16, sizeHint)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }

    [Fact]
    public void Every_enum_a_report_holds_is_written_as_its_kebab_case_word()
    {
        var enums = EnumsReachableFrom(typeof(DiagnosisReport));

        Assert.NotEmpty(enums);
        Assert.All(enums, type => Assert.True(ReportJson.Converters.Any(converter => converter.CanConvert(type)),
            $"{type.Name} has no converter in ReportJson.Converters: it would be written as a number"));
    }

    [Fact]
    public void A_severity_and_a_verdict_are_words()
    {
        var json = JsonSerializer.Serialize(new NameVerdict("www.example.com.", Contract.Verdict.AtRisk), ReportJson.Options.GetTypeInfo(typeof(NameVerdict)));

        Assert.Equal("""{"name":"www.example.com.","verdict":"at-risk"}""", json);
    }

    [Fact]
    public async Task A_rendered_report_has_the_bytes_of_a_written_one_whether_it_fits_the_thread_s_buffer_or_not()
    {
        const string head = "$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n";
        var small = await Diagnosers.ZoneAsync(head + "@ CAA 0 issue \"letsencrypt.org\"\nwww A 192.0.2.2\n", [Dns.Names.DnsName.Parse("www.example.com")]);
        // An audit of many CAA owners, each refusing Amazon: an answer of hundreds of KB.
        var large = await Diagnosers.ZoneAsync(head + string.Concat(Enumerable.Range(0, 120).Select(i => $"o{i} CAA 0 issue \"letsencrypt.org\"\n")));
        Assert.True(ReportJson.Serialize(large).Length > 128 * 1024, $"the audit answered only {ReportJson.Serialize(large).Length} bytes");

        // Small after large: the thread's buffer is back to the one it keeps, and holds nothing of the large answer.
        foreach (var report in new[] { small, large, small, large })
        {
            var expected = ReportJson.Serialize(report);
            using var rendered = ReportJson.Render(report);
            Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(rendered.Bytes));
        }
    }

    [Fact]
    public void The_report_is_written_by_code_generated_at_compile_time()
    {
        // Without it ReportJson.Write falls back to walking the report's description: the same bytes, twice the time.
        Assert.NotNull(ReportJsonContext.Default.DiagnosisReport.SerializeHandler);
    }

    [Fact]
    public async Task The_generated_code_writes_the_same_bytes_as_the_serializer_with_the_report_settings()
    {
        var triggering = Scenario.All().Where(scenario => scenario.Triggers).ToList();
        Assert.True(triggering.Count > 50, $"only {triggering.Count} scenarios found");

        foreach (var scenario in triggering)
        {
            var report = await scenario.RunAsync();
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            ReportJson.Write(buffer, report);

            var expected = JsonSerializer.Serialize(report, ReportJson.Options);
            Assert.True(expected == System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), $"{scenario}: ReportJson.Write wrote other bytes");
            Assert.Equal(expected, ReportJson.Serialize(report));
        }
    }

    [Fact]
    public void A_location_is_line_and_column_both_ways()
    {
        var info = ReportJson.Options.GetTypeInfo(typeof(Dns.Records.SourceLocation?));
        var json = JsonSerializer.Serialize<Dns.Records.SourceLocation?>(new Dns.Records.SourceLocation(12, 3), ReportJson.Options);

        Assert.Equal("""{"line":12,"column":3}""", json);
        Assert.Equal(new Dns.Records.SourceLocation(12, 3), JsonSerializer.Deserialize(json, info));
        Assert.Null(JsonSerializer.Deserialize("null", info));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"line":12}""", info));
    }

    /// <summary>The enums among the public properties of the type and of every type they hold, by reflection (as the serializer did before).</summary>
    private static List<Type> EnumsReachableFrom(Type root)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([root]);
        var enums = new List<Type>();
        while (pending.TryPop(out var type))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (!seen.Add(type) || type.Assembly == typeof(object).Assembly && !type.IsGenericType)
            {
                continue;
            }

            if (type.IsEnum)
            {
                enums.Add(type);
                continue;
            }

            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
            {
                pending.Push(argument);
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                pending.Push(property.PropertyType);
            }
        }

        return enums;
    }
}
