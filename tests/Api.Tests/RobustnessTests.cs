using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RulesApi.Api.Tests;

/// <summary>
/// Issue 11: inputs users found that made the service answer 500 with .NET's words, and the promise that
/// no answer says what broke inside. Every request here is answered from zone text, never live DNS.
/// </summary>
public sealed class RobustnessTests : IClassFixture<ServiceFactory>
{
    private const string Zone = "$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.2\n";

    private readonly ServiceFactory _factory;
    private readonly HttpClient _client;

    public RobustnessTests(ServiceFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    private async Task<(HttpStatusCode Status, string Body)> PostJson(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await _client.PostAsync("/diagnose", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static void AssertNoDotNetWords(string body)
    {
        Assert.DoesNotContain("System.", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("`1", body, StringComparison.Ordinal);
    }

    private static List<(string Name, string Reason)> Errors(string body) =>
        JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("name").GetString()!, e.GetProperty("reason").GetString()!)).ToList();

    [Theory]
    [InlineData("$TTL 300\n@ SOA ns1 hostmaster 1 2 3 4 5\n@ NS \\# 0\n", 3)]
    [InlineData("$TTL 300\n@ SOA ns1 hostmaster 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n@ TYPE55555 \\#\n", 5)]
    public async Task Generic_data_that_crashed_the_service_is_a_zone001_finding(string zone, int line)
    {
        using var content = new StringContent(zone, Encoding.UTF8, "text/dns");
        var response = await _client.PostAsync("/diagnose?origin=example.com", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var findings = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("findings").EnumerateArray();
        Assert.Contains(findings, f => f.GetProperty("ruleId").GetString() == "ZONE001" && f.GetProperty("location").GetProperty("line").GetInt32() == line);
    }

    [Theory]
    [InlineData("\"x\"")]
    [InlineData("5")]
    [InlineData("[]")]
    [InlineData("true")]
    public async Task A_resource_record_that_is_not_an_object_is_a_400_naming_it(string value)
    {
        var certificate = $$"""{"DomainName": "www.example.com", "DomainValidationOptions": [{"DomainName": "www.example.com", "ResourceRecord": {{value}}}]}""";

        var (status, body) = await PostJson($$"""{"acmCertificate": {{certificate}}, "zoneFile": {{JsonSerializer.Serialize(Zone)}}, "origin": "example.com"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertNoDotNetWords(body);
        Assert.Contains(Errors(body), e => e.Name == "acmCertificate.DomainValidationOptions[0].ResourceRecord");
    }

    /// <summary>Every field AcmCertificate reads, by its path in the certificate document.</summary>
    public static TheoryData<string, string> CertificateFieldsAndShapes()
    {
        string[] fields =
        [
            "", "Certificate", "CertificateArn", "DomainName", "Status", "FailureReason", "SubjectAlternativeNames", "SubjectAlternativeNames[0]",
            "DomainValidationOptions", "DomainValidationOptions[0]", "DomainValidationOptions[0].DomainName", "DomainValidationOptions[0].ValidationMethod",
            "DomainValidationOptions[0].ValidationStatus", "DomainValidationOptions[0].ResourceRecord", "DomainValidationOptions[0].ResourceRecord.Name",
            "DomainValidationOptions[0].ResourceRecord.Type", "DomainValidationOptions[0].ResourceRecord.Value",
        ];
        string[] shapes = ["\"x\"", "5", "[]", "[1]", "{}", "null", "true", "\"\\ud800\""];
        var data = new TheoryData<string, string>();
        foreach (var field in fields)
        {
            foreach (var shape in shapes)
            {
                data.Add(field, shape);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CertificateFieldsAndShapes))]
    public async Task Any_shape_of_any_certificate_field_is_answered_without_a_500(string field, string shape)
    {
        var certificate = JsonNode.Parse("""
            {"Certificate": {"CertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/x", "DomainName": "www.example.com",
             "SubjectAlternativeNames": ["www.example.com"], "Status": "PENDING_VALIDATION", "FailureReason": null,
             "DomainValidationOptions": [{"DomainName": "www.example.com", "ValidationMethod": "DNS", "ValidationStatus": "PENDING_VALIDATION",
               "ResourceRecord": {"Name": "_abc.www.example.com.", "Type": "CNAME", "Value": "_def.acm-validations.aws."}}]}}
            """)!;
        // A placeholder, swapped for the shape in the text: a string such as "\ud800" cannot live in a JsonNode.
        const string Placeholder = "shape-placeholder";
        JsonNode replacement = Placeholder;
        var path = "acmCertificate.Certificate" + (field.Length > 0 ? "." + field : "");
        if (field.Length == 0)
        {
            certificate["Certificate"] = replacement;
        }
        else if (field == "Certificate")
        {
            certificate = new JsonObject { ["Certificate"] = replacement };
            path = "acmCertificate.Certificate";
        }
        else
        {
            Replace(certificate["Certificate"]!, field, replacement);
        }

        var request = new JsonObject { ["acmCertificate"] = certificate, ["zoneFile"] = Zone, ["origin"] = "example.com" };
        var (status, body) = await PostJson(request.ToJsonString().Replace($"\"{Placeholder}\"", shape, StringComparison.Ordinal));

        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{status}: {body}");
        AssertNoDotNetWords(body);
        if (status == HttpStatusCode.BadRequest)
        {
            Assert.Contains(Errors(body), e => e.Name.StartsWith(path, StringComparison.Ordinal) || path.StartsWith(e.Name, StringComparison.Ordinal));
        }
    }

    private static void Replace(JsonNode root, string path, JsonNode value)
    {
        var node = root;
        var steps = path.Replace("[", ".[", StringComparison.Ordinal).Split('.');
        for (var i = 0; i < steps.Length; i++)
        {
            var step = steps[i];
            var last = i == steps.Length - 1;
            if (step.StartsWith('['))
            {
                var index = int.Parse(step[1..^1], System.Globalization.CultureInfo.InvariantCulture);
                if (last)
                {
                    node[index] = value;
                }
                else
                {
                    node = node[index]!;
                }
            }
            else if (last)
            {
                node[step] = value;
            }
            else
            {
                node = node[step]!;
            }
        }
    }

    [Theory]
    [InlineData("""{"domains": "x"}""", "domains", "domains must be an array of strings")]
    [InlineData("""{"domains": {"a": 1}}""", "domains", "domains must be an array of strings")]
    [InlineData("""{"domains": [1], "zoneFile": ""}""", "domains[0]", "domains[0] must be a string, not a number")]
    [InlineData("[]", "body", "The body must be a JSON object")]
    [InlineData("\"x\"", "body", "The body must be a JSON object")]
    [InlineData("""{"zoneFile": 5}""", "zoneFile", "zoneFile must be a string")]
    [InlineData("""{"validationRecords": {}}""", "validationRecords", "validationRecords must be an array of objects")]
    [InlineData("""{"validationRecords": ["x"]}""", "validationRecords[0]", "must be an object with 'name' and 'value'")]
    [InlineData("""{"parentDs": "12345 13 2 AB", "zoneFile": ""}""", "parentDs", "parentDs must be an array of strings")]
    [InlineData("""{"domains": ["\ud800.example.com"], "zoneFile": ""}""", "domains[0]", "not valid text")]
    public async Task A_field_of_the_wrong_shape_is_named_in_the_api_s_words(string json, string field, string reason)
    {
        var (status, body) = await PostJson(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertNoDotNetWords(body);
        var error = Assert.Single(Errors(body), e => e.Name == field);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"zone_file": "", "origin": "example.com"}""", "zone_file", "unknown field 'zone_file'; did you mean 'zoneFile'?")]
    [InlineData("""{"domain": ["www.example.com"], "zoneFile": ""}""", "domain", "did you mean 'domains'?")]
    [InlineData("""{"domains": ["www.example.com"], "zoneFile": "", "orgin": "example.com"}""", "orgin", "did you mean 'origin'?")]
    [InlineData("""{"validationRecords": [{"nmae": "a.example.com", "value": "b.example.com"}], "zoneFile": ""}""", "validationRecords[0].nmae", "did you mean 'name'?")]
    [InlineData("""{"colour": "blue", "zoneFile": ""}""", "colour", "the fields are 'domains', 'zoneFile'")]
    public async Task An_unknown_field_is_refused_with_the_nearest_known_one(string json, string field, string reason)
    {
        var (status, body) = await PostJson(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = Assert.Single(Errors(body), e => e.Name == field);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"domains": ["a.example.com"], "domains": ["www.example.com"], "fixture": "healthy"}""", "domains")]
    [InlineData("""{"fixture": "healthy", "fixture": "val-missing"}""", "fixture")]
    [InlineData("""{"validationRecords": [{"name": "_a.www.example.com", "name": "_c.api.example.com", "value": "_b.acm-validations.aws"}], "zoneFile": ""}""", "validationRecords[0].name")]
    public async Task A_field_given_twice_is_refused_not_read_as_its_last_copy(string json, string field)
    {
        var (status, body) = await PostJson(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = Assert.Single(Errors(body), e => e.Name == field);
        Assert.Contains("more than once", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_large_body_with_zone_file_twice_is_refused_as_a_small_one_is()
    {
        // Escaped for JSON: each line ends in \n, two characters.
        var zone = "$TTL 300\\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\\n@ NS ns1\\nns1 A 192.0.2.1\\n" + string.Concat(Enumerable.Repeat("; filler to pass the size read as a document\\n", 40_000));
        var json = $$"""{"zoneFile": "{{zone}}", "origin": "example.com", "zoneFile": "{{zone}}"}""";
        Assert.True(Encoding.UTF8.GetByteCount(json) > Features.Diagnose.JsonBody.PooledUpTo);

        var (status, body) = await PostJson(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("zoneFile", Assert.Single(Errors(body)).Name);
    }

    [Theory]
    [InlineData("unknown fields", 300)]
    [InlineData("domains that are numbers", 5000)]
    [InlineData("unknown fields", 21)]
    public async Task A_body_with_many_problems_gets_the_first_ones_and_a_line_saying_there_may_be_more(string kind, int count)
    {
        var json = kind == "unknown fields"
            ? "{" + string.Join(",", Enumerable.Range(0, count).Select(i => $"\"field{i}\": {i}")) + "}"
            : "{\"zoneFile\": \"\", \"domains\": [" + string.Join(",", Enumerable.Range(0, count)) + "]}";

        var (status, body) = await PostJson(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = Errors(body);
        Assert.Equal(Rules.Diagnosis.DiagnosisRequestJson.MaxErrorsListed + 1, errors.Count);
        Assert.Equal(kind == "unknown fields" ? "field0" : "domains[0]", errors[0].Name);
        Assert.Equal(("body", "There may be more problems: only the first 20 are listed. Fix them and send the body again."), errors[^1]);
    }

    [Fact]
    public async Task A_body_with_as_many_problems_as_are_listed_gets_no_line_about_more()
    {
        var json = "{" + string.Join(",", Enumerable.Range(0, Rules.Diagnosis.DiagnosisRequestJson.MaxErrorsListed).Select(i => $"\"field{i}\": {i}")) + "}";

        var (status, body) = await PostJson(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(Enumerable.Range(0, Rules.Diagnosis.DiagnosisRequestJson.MaxErrorsListed).Select(i => $"field{i}"), Errors(body).Select(e => e.Name));
    }

    [Fact]
    public async Task Fields_inside_the_certificate_document_are_aws_s_and_not_checked()
    {
        var certificate = """
            {"DomainName": "www.example.com", "Serial": "0a:1b", "KeyAlgorithm": "RSA-2048", "Options": {"CertificateTransparencyLoggingPreference": "ENABLED"}}
            """;
        var json = new JsonObject { ["ZoneFile"] = Zone, ["origin"] = "example.com", ["acmCertificate"] = JsonNode.Parse(certificate) }.ToJsonString();

        var (status, body) = await PostJson(json);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("zone", JsonDocument.Parse(body).RootElement.GetProperty("source").GetString());
    }

    [Fact]
    public async Task An_unhandled_exception_is_a_500_problem_with_the_trace_id_and_no_exception_text()
    {
        var logs = new CollectingLoggerProvider();
        using var failing = _factory.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            // The rule engine reads its clock outside any rule: a clock that fails is a failure of the service itself.
            services.AddSingleton<TimeProvider>(new FailingClock(new InvalidOperationException("secret detail: /srv/rulesapi/keys")));
        }));
        using var client = failing.CreateClient();

        var response = await client.PostAsJsonAsync("/diagnose", new { zoneFile = Zone, origin = "example.com" });

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("secret detail", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperation", text, StringComparison.Ordinal);
        AssertNoDotNetWords(text);
        var traceId = JsonDocument.Parse(text).RootElement.GetProperty("traceId").GetString();
        Assert.False(string.IsNullOrEmpty(traceId));
        Assert.Contains(traceId, JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(logs.Entries, entry => entry.Level == LogLevel.Error && entry.Message.Contains(traceId!, StringComparison.Ordinal)
            && entry.Exception?.Message == "secret detail: /srv/rulesapi/keys");
    }

    private sealed class FailingClock(Exception failure) : TimeProvider
    {
        public override long GetTimestamp() => throw failure;
    }

    private sealed record LogEntry(LogLevel Level, string Message, Exception? Exception);

    private sealed class CollectingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<LogEntry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Collector(Entries);

        public void Dispose()
        {
        }

        private sealed class Collector(ConcurrentQueue<LogEntry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue(new LogEntry(logLevel, formatter(state, exception), exception));
        }
    }
}
