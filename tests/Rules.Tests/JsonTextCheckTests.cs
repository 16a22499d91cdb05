using System.Text;
using System.Text.Json;
using RulesApi.Rules.Facts;

namespace RulesApi.Rules.Tests;

/// <summary>
/// The check that a body's strings decode, made in place on the raw bytes, must agree with what decoding them
/// (<see cref="JsonElement.GetString"/>) says: the same inputs refused, the same let through.
/// </summary>
public sealed class JsonTextCheckTests
{
    public static TheoryData<string, byte[]> Strings => new()
    {
        { "plain", Utf8("\"www.example.com\"") },
        { "escapes", Utf8("\"a\\nb\\tc\\\\d\\\"e\\/f\"") },
        { "a surrogate pair", Utf8("\"\\uD83D\\uDE00\"") },
        { "a character escaped", Utf8("\"\\u00e9\\u0041\"") },
        { "a lone high surrogate", Utf8("\"\\uD83D\"") },
        { "a lone low surrogate", Utf8("\"\\uDE00x\"") },
        { "a high surrogate before text", Utf8("\"\\uD83Dabcdef\"") },
        { "two high surrogates", Utf8("\"\\uD83D\\uD83D\"") },
        { "an escaped backslash before u", Utf8("\"\\\\uD83D\"") },
        { "non-ASCII text", Utf8("\"café ☕ 😀\"") },
        { "invalid UTF-8", [(byte)'"', 0xC3, 0x28, (byte)'"'] },
        { "a truncated sequence", [(byte)'"', (byte)'a', 0xE2, 0x82, (byte)'"'] },
    };

    [Theory]
    [MemberData(nameof(Strings))]
    public void A_string_is_refused_exactly_when_it_does_not_decode(string label, byte[] json)
    {
        using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes("{\"field\":").Concat(json).Append((byte)'}').ToArray());
        var value = document.RootElement.GetProperty("field");
        var decodes = true;
        try
        {
            _ = value.GetString();
        }
        catch (InvalidOperationException)
        {
            decodes = false;
        }

        Assert.True((JsonTextCheck.FirstInvalidText(document.RootElement, "") is null) == decodes, $"{label}: decodes {decodes}");
        Assert.Equal(decodes ? null : "field", JsonTextCheck.FirstInvalidText(document.RootElement, ""));
    }

    [Theory]
    [MemberData(nameof(Strings))]
    public void A_field_name_is_refused_exactly_when_it_does_not_decode(string label, byte[] json)
    {
        // The same texts as names, at the top and one object down: the object holding the name is the path.
        using var document = JsonDocument.Parse(Utf8("{\"ok\": 1, \"outer\": {").Concat(json).Concat(Utf8(": 1}}")).ToArray());
        var decodes = true;
        try
        {
            _ = document.RootElement.GetProperty("outer").EnumerateObject().Single().Name;
        }
        catch (InvalidOperationException)
        {
            decodes = false;
        }

        Assert.True(decodes == (JsonTextCheck.FirstInvalidText(document.RootElement, "") is null), $"{label}: decodes {decodes}");
        Assert.Equal(decodes ? null : "outer", JsonTextCheck.FirstInvalidText(document.RootElement, ""));
        using var top = JsonDocument.Parse(Utf8("{").Concat(json).Concat(Utf8(": 1}")).ToArray());
        Assert.Equal(decodes ? null : "", JsonTextCheck.FirstInvalidText(top.RootElement, ""));
    }

    [Fact]
    public void The_check_refuses_a_lone_surrogate_and_invalid_utf8_naming_the_field()
    {
        using var lone = JsonDocument.Parse(Utf8("{\"domains\": [\"ok\", \"\\uD83D\"]}"));
        using var broken = JsonDocument.Parse(new byte[] { (byte)'{', (byte)'"', (byte)'z', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}' });

        Assert.Equal("domains[1]", JsonTextCheck.FirstInvalidText(lone.RootElement, ""));
        Assert.Equal("z", JsonTextCheck.FirstInvalidText(broken.RootElement, ""));
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
