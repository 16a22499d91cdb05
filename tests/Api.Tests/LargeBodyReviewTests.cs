using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using RulesApi.Api.Features.Diagnose;

namespace RulesApi.Api.Tests;

/// <summary>
/// Review of the large-body reader (DiagnosisRequestJson.ReadLarge): bodies that get a different answer, or a 500,
/// when read field by field (padded past <see cref="JsonBody.PooledUpTo"/>, or sent without a declared length).
/// </summary>
public sealed partial class LargeBodyReviewTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private const string Zone = "$TTL 300\\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\\n@ NS ns1\\nns1 A 192.0.2.1\\nwww A 192.0.2.2\\n";
    private const string Other = "$TTL 300\\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\\n@ NS ns1\\nns1 A 192.0.2.1\\n@ CAA 0 issue \\\"letsencrypt.org\\\"\\n";

    private readonly HttpClient _client = factory.CreateClient();

    public static TheoryData<string, string> Bodies() => new()
    {
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
        var small = await Post(Encoding.UTF8.GetBytes(json), declareLength: true);
        var padded = Encoding.UTF8.GetBytes(json + new string(' ', JsonBody.PooledUpTo + 1));
        var large = await Post(padded, declareLength: true);
        var chunked = await Post(padded, declareLength: false);

        Assert.True(small.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{label}: {small.Status} {small.Body}");
        Assert.Equal((small.Status, small.Body), (large.Status, large.Body));
        Assert.Equal((small.Status, small.Body), (chunked.Status, chunked.Body));
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
        var declared = await Post(body, declareLength: true);
        var chunked = await Post(body, declareLength: false);

        Assert.True(declared.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{label}: {declared.Status} {declared.Body}");
        Assert.Equal((declared.Status, declared.Body), (chunked.Status, chunked.Body));
    }

    /// <summary>A Content-Length larger than the body sent (the client went away): the small path says "not JSON".</summary>
    [Fact]
    public async Task A_body_shorter_than_its_declared_length_is_not_a_500()
    {
        var json = Encoding.UTF8.GetBytes($$"""{"zoneFile": "{{Zone}}", "origin": "example.com"}""" + new string(' ', JsonBody.PooledUpTo + 1));
        using var content = new ShortBody(json, json.Length + 100);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await _client.PostAsync("/diagnose", content);

        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    private async Task<(HttpStatusCode Status, string Body)> Post(byte[] bytes, bool declareLength)
    {
        using HttpContent content = declareLength ? new ByteArrayContent(bytes) : new ShortBody(bytes, null);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await _client.PostAsync("/diagnose", content);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, ElapsedOrTrace().Replace(body, ""));
    }

    [GeneratedRegex("\"(elapsedMs|traceId)\":(\\d+|\"[^\"]*\"),?")]
    private static partial Regex ElapsedOrTrace();

    /// <summary>A body sent with the given declared length (none: chunked), whatever its real length.</summary>
    private sealed class ShortBody(byte[] bytes, long? declared) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = declared ?? 0;
            return declared is not null;
        }
    }
}
