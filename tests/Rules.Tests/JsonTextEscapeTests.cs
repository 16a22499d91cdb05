using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Facts;

namespace RulesApi.Rules.Tests;

/// <summary>
/// The large-body reader's two helpers over many strings made of escapes (written by a review of that reader): <see cref="JsonTextCheck.IsValidText"/>
/// must say what <c>GetString</c> says, and <see cref="ZoneTextBuffer.FromJsonToken"/> must hold what the string holds.
/// </summary>
public sealed class JsonTextEscapeTests
{
    private static readonly string[] Pieces =
    [
        "a", "é", "😀", "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\uD83D\\uDE00", "\\\\", "\\\"", "\\/", "\\n", "\\u0041", "\\\\u", "\\\\ud800",
        "\\ud800\\u0041", "\\ud800\\\\", "\\u00e9", "\\uFEFF", "\\u0000", "u", "d800", "\\b\\f\\r\\t",
    ];

    [Fact]
    public void The_check_and_the_unescaping_agree_with_the_string_for_every_short_mix_of_escapes()
    {
        var random = new Random(20261207);
        for (var i = 0; i < 20000; i++)
        {
            var text = new StringBuilder("\"");
            for (var n = random.Next(0, 6); n > 0; n--)
            {
                text.Append(Pieces[random.Next(Pieces.Length)]);
            }

            text.Append('"');
            using var document = JsonDocument.Parse(text.ToString());
            string? expected;
            try
            {
                expected = document.RootElement.GetString();
            }
            catch (InvalidOperationException)
            {
                expected = null;
            }

            var raw = JsonMarshal.GetRawUtf8Value(document.RootElement);
            Assert.True((expected is not null) == JsonTextCheck.IsValidText(raw), $"{text}: the check says {JsonTextCheck.IsValidText(raw)}");
            if (expected is not null)
            {
                using var buffer = ZoneTextBuffer.FromJsonToken(raw);
                using var reader = buffer.Open();
                Assert.Equal(expected, reader.ReadToEnd());
            }
        }
    }
}
