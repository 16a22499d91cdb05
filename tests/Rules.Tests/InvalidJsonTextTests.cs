using System.Text;
using System.Text.Json;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Facts;

namespace RulesApi.Rules.Tests;

/// <summary>
/// Found by fuzzing the request target: JSON whose property names hold invalid UTF-8 parses, and reading
/// the name threw InvalidOperationException out of the request reader (a 500). It is a field error now.
/// </summary>
public sealed class InvalidJsonTextTests
{
    private static JsonDocument Parse(byte[] body) => JsonDocument.Parse(body);

    private static byte[] WithInvalidUtf8(string json, string marker) =>
        [.. Encoding.UTF8.GetBytes(json[..json.IndexOf(marker, StringComparison.Ordinal)]), 0xD5,
            .. Encoding.UTF8.GetBytes(json[(json.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..])];

    [Fact]
    public void A_top_level_name_with_invalid_utf8_is_a_body_field_error()
    {
        using var document = Parse(WithInvalidUtf8("""{"zo#e_file":"x","domains":["www.example.com"]}""", "#"));
        var errors = new List<FieldError>();

        Assert.Null(DiagnosisRequestJson.Read(document.RootElement, errors));

        var error = Assert.Single(errors);
        Assert.Equal(DiagnosisRequestJson.BodyField, error.Field);
        Assert.Contains("not valid text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nested_name_with_invalid_utf8_names_the_field_above_it()
    {
        using var document = Parse(WithInvalidUtf8("""{"validationRecords":[{"na#e":"x","value":"y"}]}""", "#"));
        var errors = new List<FieldError>();

        Assert.Null(DiagnosisRequestJson.Read(document.RootElement, errors));

        Assert.Equal("validationRecords[0]", Assert.Single(errors).Field);
    }

    [Fact]
    public void A_certificate_value_with_invalid_utf8_is_a_certificate_error()
    {
        using var document = Parse(WithInvalidUtf8("""{"Certificate":{"DomainName":"www.exa#ple.com"}}""", "#"));
        var errors = new List<KeyValuePair<string, string>>();

        Assert.Null(AcmCertificate.Parse(document.RootElement, "acmCertificate", errors));

        Assert.Equal("acmCertificate.Certificate.DomainName", Assert.Single(errors).Key);
    }
}
