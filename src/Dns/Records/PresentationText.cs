using System.Buffers;
using System.Globalization;
using System.Text;

namespace RulesApi.Dns.Records;

/// <summary>Renders RDATA fields in master-file presentation form (RFC 1035 §5.1).</summary>
public static class PresentationText
{
    /// <summary>
    /// Quotes a character-string whose characters are octets (U+0000–U+00FF): <c>"</c> and <c>\</c>
    /// are escaped, and octets outside printable ASCII are written as <c>\DDD</c>.
    /// </summary>
    public static string Quote(string octets)
    {
        if (IsPlain(octets))
        {
            // Nearly every value (a CAA issuer, a TXT token): quoted as it is, with no builder.
            return string.Concat("\"", octets, "\"");
        }

        var builder = new StringBuilder(octets.Length + 2);
        AppendQuoted(builder, octets);
        return builder.ToString();
    }

    /// <summary>Printable ASCII but <c>"</c> and <c>\</c>: characters a quoted string holds as they are.</summary>
    private static readonly SearchValues<char> Unescaped = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>True when <paramref name="octets"/> quoted is only itself between quotes: nothing to escape.</summary>
    public static bool IsPlain(string octets) => !octets.AsSpan().ContainsAnyExcept(Unescaped);

    public static void AppendQuoted(StringBuilder builder, string octets)
    {
        builder.Append('"');
        foreach (var c in octets)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\').Append(c);
            }
            else if (c < 0x20 || c > 0x7e)
            {
                builder.Append('\\').Append(((int)c).ToString("D3", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        builder.Append('"');
    }

    public static string Hex(ReadOnlySpan<byte> data) => data.Length == 0 ? "-" : Convert.ToHexString(data);

    public static string Base64(ReadOnlySpan<byte> data) => Convert.ToBase64String(data);

    public static string TypeList(IReadOnlyList<RecordType> types) => string.Join(' ', types);
}
