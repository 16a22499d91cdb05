using System.Globalization;

namespace RulesApi.Dns.Records;

/// <summary>An RR CLASS (RFC 1035 §3.2.4); <c>CLASSnnn</c> per RFC 3597.</summary>
public readonly record struct RecordClass(ushort Value)
{
    public static readonly RecordClass IN = new(1);
    public static readonly RecordClass CH = new(3);
    public static readonly RecordClass HS = new(4);

    public static bool TryParse(ReadOnlySpan<char> text, out RecordClass recordClass)
    {
        recordClass = default;
        if (text.Equals("IN", StringComparison.OrdinalIgnoreCase))
        {
            recordClass = IN;
        }
        else if (text.Equals("CH", StringComparison.OrdinalIgnoreCase) || text.Equals("CS", StringComparison.OrdinalIgnoreCase))
        {
            recordClass = text[1] is 'H' or 'h' ? CH : new RecordClass(2);
        }
        else if (text.Equals("HS", StringComparison.OrdinalIgnoreCase))
        {
            recordClass = HS;
        }
        else if (text.Length > 5 && text[..5].Equals("CLASS", StringComparison.OrdinalIgnoreCase)
            && ushort.TryParse(text[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            recordClass = new RecordClass(value);
        }
        else
        {
            return false;
        }

        return true;
    }

    public override string ToString() => Value switch
    {
        1 => "IN",
        2 => "CS",
        3 => "CH",
        4 => "HS",
        _ => "CLASS" + Value.ToString(CultureInfo.InvariantCulture),
    };
}
