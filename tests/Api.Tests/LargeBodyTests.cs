using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using RulesApi.Api.Features.Diagnose;

namespace RulesApi.Api.Tests;

/// <summary>
/// A JSON body over <see cref="JsonBody.PooledUpTo"/> is read field by field instead of as one document (a large zone
/// made the service keep ~75 MiB of pooled arrays per request). Each body here is sent as it is (read as a document),
/// padded past the limit with white space after its end (read field by field, its length declared), and padded without
/// a declared length (chunked): all three must get the same answer, byte for byte but the time taken.
/// </summary>
public sealed partial class LargeBodyTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private const string Zone = "$TTL 300\\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\\n@ NS ns1\\nns1 A 192.0.2.1\\n" +
        "www A 192.0.2.2\\n@ CAA 0 issue \\\"letsencrypt.org\\\"\\ntxt TXT \\\"caf\\u00e9 \\ud83d\\ude00\\t\\/\\\\\\\"\\\"\\n";

    private readonly HttpClient _client = factory.CreateClient();

    public static TheoryData<string, string> Bodies() => new()
    {
        { "names against a zone", $$"""{"domains": ["www.example.com"], "zoneFile": "{{Zone}}", "origin": "example.com"}""" },
        { "an audit, zone first", $$"""{"zoneFile": "{{Zone}}", "origin": "example.com", "provider": "cloudflare"}""" },
        { "the last zoneFile counts", $$"""{"zoneFile": "@ A 192.0.2.9\n", "origin": "example.com", "zoneFile": "{{Zone}}"}""" },
        { "a null zoneFile after a zone", $$"""{"zoneFile": "{{Zone}}", "zoneFile": null, "origin": "example.com"}""" },
        { "an escaped field name", $$"""{"zone\u0046ile": "{{Zone}}", "origin": "example.com"}""" },
        { "validation records and nesting", $$"""{"zoneFile": "{{Zone}}", "origin": "example.com", "validationRecords": [{"name": "_abc.www.example.com", "value": "_def.acm-validations.aws"}], "domains": ["www.example.com"]}""" },
        { "a zoneFile that is a number", """{"zoneFile": 5, "origin": "example.com"}""" },
        { "a zone, then a zoneFile that is a number", $$"""{"zoneFile": "{{Zone}}", "zoneFile": [1], "origin": "example.com"}""" },
        { "a misspelt field", $$"""{"zone_file": "{{Zone}}", "origin": "example.com"}""" },
        { "half a surrogate pair in the zone", """{"zoneFile": "@ TXT \"\ud800\"\n", "origin": "example.com"}""" },
        { "half a surrogate pair in a name", $$"""{"domains": ["\ud800.example.com"], "zoneFile": "{{Zone}}"}""" },
        { "an array", """[{"zoneFile": "x"}]""" },
        { "a string", "\"zoneFile\"" },
        { "a syntax error", $$"""{"zoneFile": "{{Zone}}", "domains": [}""" },
        { "something after the object", $$"""{"zoneFile": "{{Zone}}", "origin": "example.com"} x""" },
        { "an empty object", "{}" },
        { "a fixture", """{"fixture": "healthy"}""" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_large_body_gets_the_answer_the_same_body_gets_small(string label, string json)
    {
        var small = await Post(json, declareLength: true);
        var padded = json + new string(' ', JsonBody.PooledUpTo + 1);
        var large = await Post(padded, declareLength: true);
        var chunked = await Post(padded, declareLength: false);

        Assert.True(small.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{label}: {small.Status} {small.Body}");
        Assert.Equal(small.Status, large.Status);
        Assert.Equal(small.Body, large.Body);
        Assert.Equal(small.Status, chunked.Status);
        Assert.Equal(small.Body, chunked.Body);
    }

    [Fact]
    public async Task A_large_body_that_ends_too_soon_is_refused_as_not_json()
    {
        // Not compared with the small body: the reader notices at the end of the data, which the padding moves.
        var (status, body) = await Post($$"""{"zoneFile": "{{Zone}}", "domains": ["www.example.com" """ + new string(' ', JsonBody.PooledUpTo + 1), declareLength: true);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("\"serializerErrors\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_large_body_may_start_with_a_byte_order_mark()
    {
        var json = $$"""{"zoneFile": "{{Zone}}", "origin": "example.com"}""" + new string(' ', JsonBody.PooledUpTo + 1);
        using var content = new ByteArrayContent([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(json)]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await _client.PostAsync("/diagnose", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"source\":\"zone-audit\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, string Body)> Post(string json, bool declareLength)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        using HttpContent content = declareLength ? new ByteArrayContent(bytes) : new UndeclaredLength(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await _client.PostAsync("/diagnose", content);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, ElapsedOrTrace().Replace(body, ""));
    }

    /// <summary>What differs between two answers to the same question: the time taken, and the request's trace.</summary>
    [GeneratedRegex("\"(elapsedMs|traceId)\":(\\d+|\"[^\"]*\"),?")]
    private static partial Regex ElapsedOrTrace();

    /// <summary>A body whose length is not declared, as a client streaming it sends it (chunked).</summary>
    private sealed class UndeclaredLength(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
