namespace RulesApi.Dns.ZoneFiles;

/// <summary>
/// TTLs as BIND reads them: a decimal number of seconds, or numbers with units
/// <c>w d h m s</c> in any case and combination (<c>1h30m</c>, <c>2W</c>).
/// </summary>
public static class TtlText
{
    /// <summary>RFC 2181 §8: a TTL with the top bit set is treated as zero.</summary>
    public const uint MaxTtl = int.MaxValue;

    public static bool TryParse(ReadOnlySpan<char> text, out uint seconds, out string? error)
    {
        seconds = 0;
        error = null;
        if (text.Length == 0 || !char.IsAsciiDigit(text[0]))
        {
            error = $"'{text}' is not a TTL";
            return false;
        }

        ulong total = 0;
        ulong current = 0;
        var digits = 0;
        var usedUnits = false;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                current = (current * 10) + (ulong)(c - '0');
                digits++;
                if (current > uint.MaxValue)
                {
                    error = $"TTL '{text}' is too large";
                    return false;
                }

                continue;
            }

            ulong unit = char.ToLowerInvariant(c) switch
            {
                'w' => 604800,
                'd' => 86400,
                'h' => 3600,
                'm' => 60,
                's' => 1,
                _ => 0,
            };
            if (unit == 0 || digits == 0)
            {
                error = $"'{text}' is not a TTL (a number of seconds, or units such as 1h30m)";
                return false;
            }

            total += current * unit;
            current = 0;
            digits = 0;
            usedUnits = true;
        }

        if (digits > 0)
        {
            // BIND reads a trailing bare number after units as seconds (1h30 = 1h + 30s).
            total += current;
        }
        else if (!usedUnits)
        {
            error = $"'{text}' is not a TTL";
            return false;
        }

        if (total > uint.MaxValue)
        {
            error = $"TTL '{text}' is too large";
            return false;
        }

        seconds = (uint)total;
        return true;
    }
}
