using System.Globalization;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>
/// The LOC presentation form (RFC 1876 §3) as BIND reads it:
/// <c>d1 [m1 [s1]] {N|S} d2 [m2 [s2]] {E|W} alt[m] [size[m] [hp[m] [vp[m]]]]</c>, with whole degrees and
/// minutes, seconds to three decimals, metres to two, and each field within its range.
/// </summary>
internal static class LocText
{
    public static void Check(RdataReader r)
    {
        Coordinate(r, 90, 'N', 'S');
        Coordinate(r, 180, 'E', 'W');
        var altitude = Metres(r, "altitude", signed: true);
        if (altitude is < -10_000_000 or > 4_284_967_295)
        {
            throw r.Error(r.LastToken, "the altitude is outside -100000.00m to 42849672.95m");
        }

        foreach (var what in new[] { "size", "horizontal precision", "vertical precision" })
        {
            if (r.AtEnd)
            {
                break;
            }

            if (Metres(r, what, signed: false) / 100 > 90_000_000)
            {
                throw r.Error(r.LastToken, $"the {what} is over 90000000m");
            }
        }
    }

    private static void Coordinate(RdataReader r, int maxDegrees, char positive, char negative)
    {
        var degrees = Whole(r, "degrees", maxDegrees);
        var extra = false;
        for (var part = 0; part < 3; part++)
        {
            var token = r.NextToken("hemisphere");
            var text = r.Text(token);
            if (text.Length == 1 && (text[0] == positive || text[0] == negative))
            {
                return;
            }

            if (part == 2)
            {
                throw r.Error(token, $"'{text}' is not {positive} or {negative}");
            }

            r.Position--;
            if (part == 0)
            {
                extra = Whole(r, "minutes", 59) > 0;
            }
            else
            {
                extra |= Seconds(r) > 0;
            }

            if (extra && degrees == maxDegrees)
            {
                throw r.Error(r.LastToken, $"a coordinate of {maxDegrees}° has no minutes or seconds");
            }
        }
    }

    private static int Whole(RdataReader r, string what, int max)
    {
        var token = r.NextToken(what);
        var text = r.Text(token);
        if (text.Length == 0 || text.Length > 9 || !text.ToString().All(char.IsAsciiDigit))
        {
            throw r.Error(token, $"the {what} '{text}' is not a whole number");
        }

        var value = int.Parse(text, CultureInfo.InvariantCulture);
        return value <= max ? value : throw r.Error(token, $"the {what} {value} is over {max}");
    }

    /// <summary>Seconds in thousandths: digits, then up to three decimals.</summary>
    private static int Seconds(RdataReader r)
    {
        var token = r.NextToken("seconds");
        var text = r.Text(token).ToString();
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? "" : text[(dot + 1)..];
        if (whole.Length is 0 or > 2 || fraction.Length > 3 || !(whole + fraction).All(char.IsAsciiDigit))
        {
            throw r.Error(token, $"the seconds '{text}' are not a number with at most three decimals");
        }

        var value = (int.Parse(whole, CultureInfo.InvariantCulture) * 1000) + (fraction.Length == 0 ? 0 : int.Parse(fraction.PadRight(3, '0'), CultureInfo.InvariantCulture));
        return value < 60_000 ? value : throw r.Error(token, $"the seconds '{text}' are 60 or more");
    }

    /// <summary>Metres in centimetres: [sign] digits [. up to two digits] [m].</summary>
    private static long Metres(RdataReader r, string what, bool signed)
    {
        var token = r.NextToken(what);
        var text = r.Text(token).ToString();
        var body = text.EndsWith('m') ? text[..^1] : text;
        var negative = false;
        if (signed && body.Length > 0 && body[0] is '-' or '+')
        {
            negative = body[0] == '-';
            body = body[1..];
        }

        var dot = body.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? body : body[..dot];
        var fraction = dot < 0 ? "" : body[(dot + 1)..];
        if (whole.Length + fraction.Length == 0 || whole.Length > 10 || fraction.Length > 2 || !(whole + fraction).All(char.IsAsciiDigit))
        {
            throw r.Error(token, $"the {what} '{text}' is not metres with at most two decimals");
        }

        var centimetres = ((whole.Length == 0 ? 0 : long.Parse(whole, CultureInfo.InvariantCulture)) * 100)
                          + (fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(2, '0'), CultureInfo.InvariantCulture));
        return negative ? -centimetres : centimetres;
    }
}
