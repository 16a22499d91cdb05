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
        var builder = new StringBuilder(octets.Length + 2);
        AppendQuoted(builder, octets);
        return builder.ToString();
    }

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
