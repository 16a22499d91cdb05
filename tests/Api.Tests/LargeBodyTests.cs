using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using RulesApi.Api.Features.Diagnose;

namespace RulesApi.Api.Tests;

/// <summary>
/// A JSON body over <see cref="JsonBody.PooledUpTo"/>, or of undeclared length, is read field by field instead of as one
/// document (a large zone made the service keep ~75 MiB of pooled arrays per request). Each body here is sent as it is
/// (read as a document), padded past the limit with white space after its end (read field by field, its length
/// declared), and padded without a declared length (chunked): all three must get the same answer, byte for byte but
/// the time taken. The second half of the bodies came from a hostile review of that reader.
/// </summary>
public sealed partial class LargeBodyTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private const string Zone = "$TTL 300\\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\\n@ NS ns1\\nns1 A 192.0.2.1\\n" +
        "www A 192.0.2.2\\n@ CAA 0 issue \\\"letsencrypt.org\\\"\\ntxt TXT \\\"caf\\u00e9 \\ud83d\\ude00\\t\\/\\\\\\\"\\\"\\n";

    /// <summary>Another zone, for the bodies where which of two zones is read matters.</summary>
    private const string Other = "$TTL 300\\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\\n@ NS ns1\\nns1 A 192.0.2.1\\n@ CAA 0 issue \\\"amazon.com\\\"\\n";

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
        { "zoneFile then a differently cased ZoneFile", $$"""{"zoneFile": "{{Zone}}", "ZoneFile": "{{Other}}", "origin": "example.com"}""" },
        { "zonefile then zoneFile", $$"""{"zonefile": "{{Other}}", "zoneFile": "{{Zone}}", "origin": "example.com"}""" },
        { "an invalid zoneFile then a valid one", $$"""{"zoneFile": "@ TXT \"\ud800\"\n", "zoneFile": "{{Zone}}", "origin": "example.com"}""" },
        { "a field name of half a surrogate pair, long", $$"""{"\ud800abcdefgh": 1, "zoneFile": "{{Zone}}"}""" },
        { "a field name of a low surrogate, long", $$"""{"zone\udc00File": 1, "zoneFile": "{{Zone}}"}""" },
        { "a field name of half a surrogate pair, short", $$"""{"\ud800": 1, "zoneFile": "{{Zone}}"}""" },
        { "deep nesting in an unknown field", "{\"x\": " + new string('[', 70) + new string(']', 70) + ", \"zoneFile\": \"" + Zone + "\"}" },
        { "nesting of exactly 64", "{\"acmCertificate\": " + new string('[', 63) + new string(']', 63) + ", \"zoneFile\": \"" + Zone + "\", \"origin\": \"example.com\"}" },
        { "a trailing comma", """{"zoneFile": "x",}""" },
        { "a comment", """{"zoneFile": "x" /* c */}""" },
        { "a number", "12" },
        { "null", "null" },
        { "true", "true" },
        { "many unknown fields", "{" + string.Join(",", Enumerable.Range(0, 300).Select(i => $"\"f{i}\": {i}")) + "}" },
        { "only a zoneFile of invalid UTF-8 escape-free", "{\"zoneFile\": \"\\ud83d\", \"origin\": \"example.com\"}" },
        { "zoneFile invalid and a shape error", """{"zoneFile": "\udc00", "domains": 5}""" },
        { "zoneFile invalid then an unknown field", """{"zoneFile": "\udc00", "nope": 5}""" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_large_body_gets_the_answer_the_same_body_gets_small(string label, string json)
    {
        var small = await Post(Encoding.UTF8.GetBytes(json));
        // Past the size read in place, and within the pool's: the document's own stream reader.
        var middle = await Post(Encoding.UTF8.GetBytes(json + new string(' ', JsonBody.ReadInPlaceUpTo + 1)));
        var padded = Encoding.UTF8.GetBytes(json + new string(' ', JsonBody.PooledUpTo + 1));
        var large = await Post(padded);
        var chunked = await Post(padded, declared: null);

        Assert.True(small.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{label}: {small.Status} {small.Body}");
        Assert.Equal((small.Status, small.Body), (middle.Status, middle.Body));
        Assert.Equal(small.Status, large.Status);
        Assert.Equal(small.Body, large.Body);
        Assert.Equal(small.Status, chunked.Status);
        Assert.Equal(small.Body, chunked.Body);
    }

    public static TheoryData<string, byte[]> SmallBodies() => new()
    {
        { "empty", [] },
        { "white space", " \n "u8.ToArray() },
        { "a byte-order mark only", [0xEF, 0xBB, 0xBF] },
        { "a byte-order mark and an object", [0xEF, 0xBB, 0xBF, .. "{\"fixture\": \"healthy\"}"u8] },
        { "two byte-order marks", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. "{}"u8] },
        { "a byte-order mark and an array", [0xEF, 0xBB, 0xBF, .. "[]"u8] },
        { "invalid UTF-8 outside a string", [.. "{\"a\": "u8, 0xFF, .. "}"u8] },
        { "invalid UTF-8 in a name", [.. "{\""u8, 0xFF, .. "\": 1}"u8] },
        { "invalid UTF-8 in zoneFile", [.. "{\"zoneFile\": \""u8, 0xC3, 0x28, .. "\", \"origin\": \"example.com\"}"u8] },
    };

    /// <summary>A body of undeclared length is read field by field whatever its size.</summary>
    [Theory]
    [MemberData(nameof(SmallBodies))]
    public async Task A_chunked_body_gets_the_answer_the_same_body_gets_with_its_length(string label, byte[] body)
    {
        var declared = await Post(body);
        var chunked = await Post(body, declared: null);

        Assert.True(declared.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{label}: {declared.Status} {declared.Body}");
        Assert.Equal((declared.Status, declared.Body), (chunked.Status, chunked.Body));
    }

    [Fact]
    public async Task A_large_body_that_ends_too_soon_is_refused_as_not_json()
    {
        // Not compared with the small body: the reader notices at the end of the data, which the padding moves.
        var (status, body) = await Post(Encoding.UTF8.GetBytes($$"""{"zoneFile": "{{Zone}}", "domains": ["www.example.com" """ + new string(' ', JsonBody.PooledUpTo + 1)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("\"serializerErrors\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_large_body_may_start_with_a_byte_order_mark()
    {
        var json = $$"""{"zoneFile": "{{Zone}}", "origin": "example.com"}""" + new string(' ', JsonBody.PooledUpTo + 1);

        var (status, body) = await Post([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(json)]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"source\":\"zone-audit\"", body, StringComparison.Ordinal);
    }

    /// <summary>A Content-Length larger than the body sent (the client went away): the small path says "not JSON".</summary>
    [Fact]
    public async Task A_body_shorter_than_its_declared_length_is_not_a_500()
    {
        var json = Encoding.UTF8.GetBytes($$"""{"zoneFile": "{{Zone}}", "origin": "example.com"}""" + new string(' ', JsonBody.PooledUpTo + 1));

        var (status, _) = await Post(json, json.Length + 100);

        Assert.NotEqual(HttpStatusCode.InternalServerError, status);
    }

    private Task<(HttpStatusCode Status, string Body)> Post(byte[] bytes) => Post(bytes, bytes.Length);

    /// <summary>Posts the bytes with the given declared length (null: none, chunked), whatever their real length.</summary>
    private async Task<(HttpStatusCode Status, string Body)> Post(byte[] bytes, long? declared)
    {
        using var content = new DeclaredBody(bytes, declared);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await _client.PostAsync("/diagnose", content);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, ElapsedOrTrace().Replace(body, ""));
    }

    /// <summary>What differs between two answers to the same question: the time taken, and the request's trace.</summary>
    [GeneratedRegex("\"(elapsedMs|traceId)\":(\\d+|\"[^\"]*\"),?")]
    private static partial Regex ElapsedOrTrace();

    /// <summary>A body sent with the given declared length (none: chunked), whatever its real length.</summary>
    private sealed class DeclaredBody(byte[] bytes, long? declared) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = declared ?? 0;
            return declared is not null;
        }
    }
}
