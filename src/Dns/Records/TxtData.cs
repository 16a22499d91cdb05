using System.Text;

namespace RulesApi.Dns.Records;

/// <summary>TXT (and SPF) data: one or more character-strings of octets (RFC 1035 §3.3.14).</summary>
public sealed record TxtData(IReadOnlyList<string> Strings) : RecordData
{
    public override string ToString()
    {
        var builder = new StringBuilder();
        foreach (var text in Strings)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            PresentationText.AppendQuoted(builder, text);
        }

        return builder.ToString();
    }
}
