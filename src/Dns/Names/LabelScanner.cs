using System.Buffers;
using System.Globalization;
using System.Text;

namespace RulesApi.Dns.Names;

/// <summary>
/// The one reader of names in presentation form (RFC 1035 §5.1): it splits text at unescaped dots and
/// decodes a label's escapes — <c>\X</c> is the octet of X, <c>\DDD</c> the octet DDD (at most 255), and
/// any other non-ASCII character stands for its UTF-8 octets. It also writes octets back in the
/// canonical form <see cref="DnsName"/> keeps, so that reading and writing agree on what an escape means.
/// </summary>
/// <remarks>
/// Label boundaries are found with a vectorised search for <c>.</c> or <c>\</c>, so a label without
/// escapes costs one search: the zone parser splits millions of names with this.
/// </remarks>
internal ref struct LabelScanner
{
    /// <summary>A name needs decoding when it has any character outside these: printable ASCII that is never escaped, and the dot.</summary>
    private static readonly SearchValues<char> Plain = SearchValues.Create(
        "!#%&'*+,-./0123456789:<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private static readonly SearchValues<char> DotOrBackslash = SearchValues.Create(".\\");

    private readonly ReadOnlySpan<char> _text;

    public LabelScanner(ReadOnlySpan<char> text)
    {
        _text = text;
    }

    /// <summary>The current label as written (escapes kept).</summary>
    public ReadOnlySpan<char> Current { get; private set; }

    /// <summary>Where the current label starts in the text.</summary>
    public int Start { get; private set; }

    /// <summary>Where the next label starts: just after the current label's dot, or the end of the text.</summary>
    public int Position { get; private set; }

    /// <summary>True when the current label was ended by a dot (for the last label: the name is absolute).</summary>
    public bool EndedByDot { get; private set; }

    /// <summary>Why <see cref="MoveNext"/> stopped early; null at the end of the text.</summary>
    public string? Error { get; private set; }

    /// <summary>
    /// True when the text holds only printable ASCII that is never escaped, and dots: then every
    /// character is one octet and the text is already canonical.
    /// </summary>
    public static bool IsPlain(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(Plain);

    /// <summary>Moves to the next label; false at the end of the text or at a malformed escape (see <see cref="Error"/>).</summary>
    public bool MoveNext()
    {
        if (Position >= _text.Length)
        {
            return false;
        }

        Start = Position;
        var i = Start;
        while (true)
        {
            var found = _text[i..].IndexOfAny(DotOrBackslash);
            if (found < 0)
            {
                Current = _text[Start..];
                Position = _text.Length;
                EndedByDot = false;
                return true;
            }

            i += found;
            if (_text[i] == '.')
            {
                Current = _text[Start..i];
                Position = i + 1;
                EndedByDot = true;
                return true;
            }

            if (!TryReadEscape(_text, i, out _, out var width, out var error))
            {
                Error = error;
                Position = _text.Length;
                return false;
            }

            i += width;
        }
    }

    /// <summary>
    /// Reads the escape at <paramref name="index"/> (a backslash): its octet, or -1 when it escapes a
    /// non-ASCII character (whose UTF-8 octets stand for it), and how many characters it spans.
    /// </summary>
    public static bool TryReadEscape(ReadOnlySpan<char> text, int index, out int octet, out int width, out string? error)
    {
        octet = -1;
        width = 1;
        error = null;
        if (index + 1 >= text.Length)
        {
            error = "a backslash at the end escapes nothing";
            return false;
        }

        var next = text[index + 1];
        if (char.IsAsciiDigit(next))
        {
            if (index + 3 >= text.Length || !char.IsAsciiDigit(text[index + 2]) || !char.IsAsciiDigit(text[index + 3]))
            {
                error = @"'\' followed by a digit must be a three-digit decimal escape such as \032";
                return false;
            }

            octet = ((next - '0') * 100) + ((text[index + 2] - '0') * 10) + (text[index + 3] - '0');
            if (octet > 255)
            {
                error = $@"escape \{text.Slice(index + 1, 3)} is above 255";
                return false;
            }

            width = 4;
            return true;
        }

        if (next < 0x80)
        {
            octet = next;
            width = 2;
            return true;
        }

        width = 1 + CharWidth(text, index + 1);
        return true;
    }

    /// <summary>
    /// Decodes escapes in <paramref name="text"/> (one label, or a character-string) into octets.
    /// Returns how many, or -1 when they do not fit <paramref name="destination"/> or an escape is
    /// malformed (then <paramref name="error"/> says which).
    /// </summary>
    public static int Decode(ReadOnlySpan<char> text, Span<byte> destination, out string? error)
    {
        error = null;
        var count = 0;
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            int octet;
            int width;
            if (c == '\\')
            {
                if (!TryReadEscape(text, i, out octet, out width, out error))
                {
                    return -1;
                }

                if (octet < 0)
                {
                    // An escaped non-ASCII character is the same octets as the character itself.
                    if (!Encoding.UTF8.TryGetBytes(text.Slice(i + 1, width - 1), destination[count..], out var written))
                    {
                        return -1;
                    }

                    count += written;
                    i += width;
                    continue;
                }
            }
            else if (c < 0x80)
            {
                octet = c;
                width = 1;
            }
            else
            {
                width = CharWidth(text, i);
                if (!Encoding.UTF8.TryGetBytes(text.Slice(i, width), destination[count..], out var written))
                {
                    return -1;
                }

                count += written;
                i += width;
                continue;
            }

            if (count >= destination.Length)
            {
                return -1;
            }

            destination[count++] = (byte)octet;
            i += width;
        }

        return count;
    }

    /// <summary>
    /// Writes one octet of a label in canonical form: the characters that are special in a master file
    /// (<c>. \ " ( ) ; @ $</c>) as <c>\X</c>, space, controls and octets above 126 as <c>\DDD</c>, all
    /// else as itself — the form BIND prints. One octet has one canonical spelling, so names equal on the
    /// wire have equal canonical text up to ASCII case.
    /// </summary>
    public static void AppendOctet(StringBuilder builder, int octet)
    {
        switch (octet)
        {
            case '.' or '\\' or '"' or '(' or ')' or ';' or '@' or '$':
                builder.Append('\\').Append((char)octet);
                break;
            case <= 0x20 or >= 0x7f:
                builder.Append('\\').Append(octet.ToString("D3", CultureInfo.InvariantCulture));
                break;
            default:
                builder.Append((char)octet);
                break;
        }
    }

    private static int CharWidth(ReadOnlySpan<char> text, int index) =>
        char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
}
