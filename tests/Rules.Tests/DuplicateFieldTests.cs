using System.Text;
using System.Text.Json;
using RulesApi.Rules.Diagnosis;

namespace RulesApi.Rules.Tests;

/// <summary>
/// A field given twice in one JSON object: a document keeps both, and the reader took the last, so
/// <c>{"domains": ["a.example.com"], "domains": ["www.example.com"]}</c> diagnosed www alone and never said that
/// a.example.com was dropped. It is a field error now, the same whether the body is read as a document or,
/// over 1 MiB, field by field.
/// </summary>
public sealed class DuplicateFieldTests
{
    [Theory]
    [InlineData("""{"domains": ["a.example.com"], "domains": ["www.example.com"], "fixture": "healthy"}""", "domains")]
    [InlineData("""{"fixture": "healthy", "Fixture": "val-missing"}""", "fixture")]
    [InlineData("""{"zoneFile": "", "origin": "example.com", "origin": "example.org"}""", "origin")]
    [InlineData("""{"zoneFile": "@ A 192.0.2.1\n", "origin": "example.com", "zoneFile": ""}""", "zoneFile")]
    [InlineData("""{"validationRecords": [{"name": "_a.www.example.com", "value": "_b.acm-validations.aws", "name": "_c.api.example.com"}]}""", "validationRecords[0].name")]
    public void A_field_given_twice_is_an_error_naming_it(string json, string field)
    {
        using var document = JsonDocument.Parse(json);
        var errors = new List<FieldError>();

        Assert.Null(DiagnosisRequestJson.Read(document.RootElement, errors, zoneFileAsBytes: true));

        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.Contains("more than once", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"zoneFile": "@ A 192.0.2.1\n", "origin": "example.com", "zoneFile": ""}""")]
    [InlineData("""{"ZONEFILE": "@ A 192.0.2.1\n", "zoneFile": "@ A 192.0.2.2\n"}""")]
    [InlineData("""{"zoneFile": "@ A 192.0.2.1\n", "domains": ["a.example.com"], "domains": []}""")]
    [InlineData("""{"zoneFile": "@ A 192.0.2.1\n", "origin": "example.com"}""")]
    public void A_large_body_read_field_by_field_answers_as_its_document_does(string json)
    {
        using var document = JsonDocument.Parse(json);
        var expectedErrors = new List<FieldError>();
        var expected = DiagnosisRequestJson.Read(document.RootElement, expectedErrors, zoneFileAsBytes: true);
        var errors = new List<FieldError>();

        var fields = DiagnosisRequestJson.ReadLarge(Encoding.UTF8.GetBytes(json), errors);

        try
        {
            Assert.Equal(expectedErrors, errors);
            Assert.Equal(expected is null, fields is null);
            Assert.Equal(expected?.ZoneText?.Open().ReadToEnd(), fields?.ZoneText?.Open().ReadToEnd());
        }
        finally
        {
            expected?.ZoneText?.Dispose();
            fields?.ZoneText?.Dispose();
        }
    }
}
