using System.Text;
using System.Text.Json;
using RulesApi.Rules.Diagnosis;

namespace RulesApi.Rules.Tests;

/// <summary>
/// Issue 12: a large zone in a request is held once, as UTF-8 bytes, and the parser reads it from there —
/// it must read exactly the text a string would have held, as often as a diagnosis opens it.
/// </summary>
public sealed class ZoneTextBufferTests
{
    private const string Zone = "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n@ CAA 0 issue \"amazon.com\"\ncafé TXT \"é\"\n";

    [Fact]
    public void A_json_zone_file_is_unescaped_once_and_reads_as_its_string_every_time()
    {
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(new { zoneFile = Zone, origin = "example.com" }));
        var errors = new List<FieldError>();

        var fields = DiagnosisRequestJson.Read(document.RootElement, errors, zoneFileAsBytes: true);

        Assert.Empty(errors);
        Assert.NotNull(fields);
        Assert.Null(fields.ZoneFile);
        using var text = fields.ZoneText!;
        Assert.Equal(Zone, text.Open().ReadToEnd());
        Assert.Equal(Zone, text.Open().ReadToEnd());
        Assert.Equal(Encoding.UTF8.GetByteCount(Zone), text.Length);
    }

    [Theory]
    [InlineData("""["a\"b\\c\/d\be\ff\ng\rh\ti"]""")]
    [InlineData("""["\u00e9\u20AC \ud83d\ude00 x\u0041"]""")]
    [InlineData("""["plain text, no escape at all; café"]""")]
    public void Every_json_escape_unescapes_to_what_a_string_would_hold(string json)
    {
        using var document = JsonDocument.Parse(json);
        var value = document.RootElement[0];
        var expected = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value.GetString()!));

        using var text = ZoneTextBuffer.FromJsonString(value);

        Assert.Equal(expected, text.Open().ReadToEnd());
    }

    [Fact]
    public void A_json_zone_file_that_starts_with_U_FEFF_keeps_it_as_text()
    {
        using var document = JsonDocument.Parse("""{"zoneFile":"\uFEFF@ A 192.0.2.1\n"}""");

        using var text = DiagnosisRequestJson.Read(document.RootElement, [], zoneFileAsBytes: true)!.ZoneText!;

        Assert.Equal("\uFEFF@ A 192.0.2.1\n", text.Open().ReadToEnd());
    }

    [Fact]
    public async Task A_body_larger_than_a_chunk_reads_back_whole_and_a_byte_order_mark_is_skipped()
    {
        var line = "host A 192.0.2.1 ; " + new string('x', 80) + "\n";
        var zone = string.Concat(Enumerable.Repeat(line, (3 << 20) / line.Length));
        using var body = new MemoryStream([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(zone)]);

        using var text = await ZoneTextBuffer.ReadAsync(body, CancellationToken.None);

        Assert.Equal(zone, text.Open().ReadToEnd());
        Assert.Equal(zone, text.Open().ReadToEnd());
    }

    [Fact]
    public void A_zone_file_that_is_not_a_string_is_still_a_field_error()
    {
        using var document = JsonDocument.Parse("""{"zoneFile": 42}""");
        var errors = new List<FieldError>();

        Assert.Null(DiagnosisRequestJson.Read(document.RootElement, errors, zoneFileAsBytes: true));
        Assert.Equal("zoneFile", Assert.Single(errors).Field);
    }
}
