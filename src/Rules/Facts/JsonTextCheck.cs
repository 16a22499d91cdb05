using System.Text.Json;

namespace RulesApi.Rules.Facts;

/// <summary>
/// Finds text in a parsed JSON document that cannot become a .NET string: invalid UTF-8 in a string or
/// property name, or a <c>\u</c> escape that leaves half a surrogate pair. <see cref="JsonDocument"/>
/// accepts both and only <c>GetString</c> (or a property's <c>Name</c>) throws, deep inside whatever reads
/// the field; checking first lets a request be refused with the field's path instead (found by fuzzing).
/// </summary>
public static class JsonTextCheck
{
    /// <summary>The path of the first string or name that is not valid text, or null when all are.</summary>
    /// <remarks>
    /// Checked first without a path (nor a name decoded), since nearly every body is valid: building each field's path
    /// to return it was a string per field, and decoding each name another, on every request.
    /// </remarks>
    public static string? FirstInvalidText(JsonElement element, string path) => AllValid(element) ? null : FirstInvalidAt(element, path);

    private static bool AllValid(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsValidText(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element));
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!AllValid(item))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!IsValidText(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8PropertyName(property)) || !AllValid(property.Value))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    private static string? FirstInvalidAt(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsValidText(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element)) ? null : path;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstInvalidAt(item, $"{path}[{index++}]") is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string? name = null;
                    if (!Decodes(() => name = property.Name))
                    {
                        return path;
                    }

                    if (FirstInvalidAt(property.Value, path.Length == 0 ? name! : $"{path}.{name}") is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>
    /// Whether a string token, read in place as it stands in the body (quotes and escapes included), would decode:
    /// its bytes are valid UTF-8 (escapes are ASCII, so they cannot spoil that) and every <c>\u</c> escape of a
    /// surrogate is half of a pair. Decoding each string to test it made a copy of a 5 MB <c>zoneFile</c> at two
    /// bytes a character, a fifth of a large audit's time in the service.
    /// </summary>
    public static bool IsValidText(ReadOnlySpan<byte> raw)
    {
        if (!System.Text.Unicode.Utf8.IsValid(raw))
        {
            return false;
        }

        for (var at = raw.IndexOf((byte)'\\'); at >= 0 && at < raw.Length - 1;)
        {
            if (raw[at + 1] != (byte)'u')
            {
                // \n, \", \\ …: two bytes, whatever follows is not part of this escape.
                at = Next(raw, at + 2);
                continue;
            }

            if (!Hex(raw, at + 2, out var unit))
            {
                return false;
            }

            if (char.IsLowSurrogate((char)unit))
            {
                return false;
            }

            if (char.IsHighSurrogate((char)unit))
            {
                // The low half must follow at once, as its own \u escape.
                if (at + 11 >= raw.Length || raw[at + 6] != (byte)'\\' || raw[at + 7] != (byte)'u' || !Hex(raw, at + 8, out var low) || !char.IsLowSurrogate((char)low))
                {
                    return false;
                }

                at = Next(raw, at + 12);
                continue;
            }

            at = Next(raw, at + 6);
        }

        return true;
    }

    private static int Next(ReadOnlySpan<byte> raw, int from) =>
        from >= raw.Length ? -1 : raw[from..].IndexOf((byte)'\\') is var found and >= 0 ? from + found : -1;

    private static bool Hex(ReadOnlySpan<byte> raw, int from, out int value)
    {
        value = 0;
        if (from + 4 > raw.Length)
        {
            return false;
        }

        foreach (var digit in raw.Slice(from, 4))
        {
            var nibble = digit switch
            {
                >= (byte)'0' and <= (byte)'9' => digit - '0',
                >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => digit - 'A' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                return false;
            }

            value = (value << 4) | nibble;
        }

        return true;
    }

    private static bool Decodes(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
