using System.Text;

namespace RulesApi.Dns.Names;

/// <summary>
/// An absolute domain name in canonical presentation form: labels separated by dots, a trailing dot,
/// and only the characters that must be escaped written as <c>\.</c>, <c>\\</c> or <c>\DDD</c>
/// (RFC 1035 §5.1, RFC 4343). Two names that are equal on the wire have equal <see cref="Text"/>
/// up to ASCII case, so comparisons are ordinal and case-insensitive.
/// </summary>
public sealed class DnsName : IEquatable<DnsName>, IComparable<DnsName>
{
    public const int MaxLabelOctets = 63;
    public const int MaxNameOctets = 255;

    public static readonly DnsName Root = new(".", 0);

    private DnsName(string text, int labelCount)
    {
        Text = text;
        LabelCount = labelCount;
    }

    /// <summary>The canonical presentation form, always ending with a dot.</summary>
    public string Text { get; }

    /// <summary>The number of labels, not counting the root.</summary>
    public int LabelCount { get; }

    public bool IsRoot => LabelCount == 0;

    /// <summary>True when the first label is exactly <c>*</c> (RFC 4592).</summary>
    public bool IsWildcard => Text.Length >= 2 && Text[0] == '*' && Text[1] == '.';

    /// <summary>The name with its first label removed; the root's parent is the root.</summary>
    public DnsName Parent
    {
        get
        {
            if (IsRoot)
            {
                return Root;
            }

            var end = FirstLabelEnd(Text);
            var rest = Text[(end + 1)..];
            return rest.Length == 0 ? Root : new DnsName(rest, LabelCount - 1);
        }
    }

    /// <summary>The text of the parent of a name given as canonical text (the root's parent is the root).</summary>
    public static ReadOnlySpan<char> ParentText(ReadOnlySpan<char> text)
    {
        if (text.Length <= 1)
        {
            return ".";
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i += char.IsAsciiDigit(text[i + 1]) ? 3 : 1;
                continue;
            }

            if (text[i] == '.')
            {
                return i == text.Length - 1 ? "." : text[(i + 1)..];
            }
        }

        return ".";
    }

    /// <summary>The first label in presentation form (escapes kept).</summary>
    public string FirstLabel => IsRoot ? string.Empty : Text[..FirstLabelEnd(Text)];

    public bool IsSubdomainOf(DnsName other)
    {
        if (other.IsRoot)
        {
            return true;
        }

        if (other.LabelCount > LabelCount)
        {
            return false;
        }

        if (!Text.EndsWith(other.Text, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // The match must start at a label boundary: the character before it is an unescaped dot.
        var start = Text.Length - other.Text.Length;
        if (start == 0)
        {
            return true;
        }

        return Text[start - 1] == '.' && !IsEscapedAt(Text, start - 1);
    }

    /// <summary>Prepends one label given in presentation form (already escaped).</summary>
    public DnsName Prepend(string escapedLabel) =>
        new(IsRoot ? escapedLabel + "." : escapedLabel + "." + Text, LabelCount + 1);

    /// <summary>Parses an absolute name (a relative one is taken relative to the root).</summary>
    public static DnsName Parse(string text)
    {
        if (!TryParse(text.AsSpan(), Root, out var name, out var error))
        {
            throw new FormatException(error);
        }

        return name;
    }

    public static bool TryParse(string text, out DnsName name, out string? error) =>
        TryParse(text.AsSpan(), Root, out name, out error);

    /// <summary>
    /// Parses a name in master-file presentation form. A name without a trailing dot is relative to
    /// <paramref name="origin"/>; with no origin it is an error. <c>@</c> is not handled here.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, DnsName? origin, out DnsName name, out string? error)
    {
        name = Root;
        if (text.Length == 0)
        {
            error = "empty name";
            return false;
        }

        if (text.Length == 1 && text[0] == '.')
        {
            error = null;
            return true;
        }

        return IsSimple(text)
            ? TryParseSimple(text, origin, out name, out error)
            : TryParseEscaped(text, origin, out name, out error);
    }

    // The fast path: printable ASCII with no character that would need escaping, as almost every
    // name in a real zone is. The text is already canonical; only lengths need checking.
    private static bool IsSimple(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c <= ' ' || c >= 0x7f || c == '\\' || c == '"' || c == '(' || c == ')' || c == ';')
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParseSimple(ReadOnlySpan<char> text, DnsName? origin, out DnsName name, out string? error)
    {
        name = Root;
        var absolute = text[^1] == '.';
        var body = absolute ? text[..^1] : text;
        var labels = 0;
        var wireLength = 1; // the root label's length octet
        var labelStart = 0;
        for (var i = 0; i <= body.Length; i++)
        {
            if (i < body.Length && body[i] != '.')
            {
                continue;
            }

            var length = i - labelStart;
            if (length == 0)
            {
                error = "empty label (two dots in a row, or a leading dot)";
                return false;
            }

            if (length > MaxLabelOctets)
            {
                error = $"label '{body.Slice(labelStart, length)}' is {length} octets long; the limit is {MaxLabelOctets}";
                return false;
            }

            labels++;
            wireLength += length + 1;
            labelStart = i + 1;
        }

        return Finish(absolute ? string.Concat(body, ".") : null, body, labels, wireLength, absolute, origin, out name, out error);
    }

    private static bool TryParseEscaped(ReadOnlySpan<char> text, DnsName? origin, out DnsName name, out string? error)
    {
        name = Root;
        var canonical = new StringBuilder(text.Length + 8);
        var labelOctets = 0;
        var labels = 0;
        var wireLength = 1;
        var absolute = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            int octet;
            if (c == '.')
            {
                if (labelOctets == 0)
                {
                    error = "empty label (two dots in a row, or a leading dot)";
                    return false;
                }

                labels++;
                wireLength += labelOctets + 1;
                labelOctets = 0;
                if (i == text.Length - 1)
                {
                    absolute = true;
                }
                else
                {
                    canonical.Append('.');
                }

                continue;
            }

            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    error = "a backslash at the end of the name escapes nothing";
                    return false;
                }

                if (char.IsAsciiDigit(text[i + 1]))
                {
                    if (i + 3 >= text.Length || !char.IsAsciiDigit(text[i + 2]) || !char.IsAsciiDigit(text[i + 3]))
                    {
                        error = @"'\' followed by a digit must be a three-digit decimal escape such as \032";
                        return false;
                    }

                    octet = ((text[i + 1] - '0') * 100) + ((text[i + 2] - '0') * 10) + (text[i + 3] - '0');
                    if (octet > 255)
                    {
                        error = $@"escape \{text.Slice(i + 1, 3)} is above 255";
                        return false;
                    }

                    i += 3;
                }
                else
                {
                    octet = text[i + 1];
                    i++;
                    if (octet > 0x7f)
                    {
                        labelOctets += AppendUtf8(canonical, text.Slice(i, 1));
                        if (labelOctets > MaxLabelOctets)
                        {
                            error = $"a label is longer than {MaxLabelOctets} octets";
                            return false;
                        }

                        continue;
                    }
                }
            }
            else if (c > 0x7f)
            {
                var width = char.IsHighSurrogate(c) && i + 1 < text.Length ? 2 : 1;
                labelOctets += AppendUtf8(canonical, text.Slice(i, width));
                i += width - 1;
                if (labelOctets > MaxLabelOctets)
                {
                    error = $"a label is longer than {MaxLabelOctets} octets";
                    return false;
                }

                continue;
            }
            else
            {
                octet = c;
            }

            AppendOctet(canonical, octet);
            labelOctets++;
            if (labelOctets > MaxLabelOctets)
            {
                error = $"a label is longer than {MaxLabelOctets} octets";
                return false;
            }
        }

        if (labelOctets > 0)
        {
            labels++;
            wireLength += labelOctets + 1;
        }

        var body = canonical.ToString();
        return Finish(absolute ? body + "." : null, body, labels, wireLength, absolute, origin, out name, out error);
    }

    private static bool Finish(string? absoluteText, ReadOnlySpan<char> body, int labels, int wireLength, bool absolute,
        DnsName? origin, out DnsName name, out string? error)
    {
        name = Root;
        if (absolute)
        {
            if (wireLength > MaxNameOctets)
            {
                error = $"the name is {wireLength} octets long on the wire; the limit is {MaxNameOctets}";
                return false;
            }

            name = new DnsName(absoluteText!, labels);
            error = null;
            return true;
        }

        if (origin is null)
        {
            error = $"'{body}' is a relative name and there is no origin to complete it (add $ORIGIN or give the origin)";
            return false;
        }

        var total = wireLength + (origin.Text.Length == 1 ? 0 : OriginWireLength(origin));
        if (total > MaxNameOctets)
        {
            error = $"the name is {total} octets long on the wire once the origin is appended; the limit is {MaxNameOctets}";
            return false;
        }

        var text = origin.IsRoot ? string.Concat(body, ".") : string.Concat(body, ".", origin.Text);
        name = new DnsName(text, labels + origin.LabelCount);
        error = null;
        return true;
    }

    private static int OriginWireLength(DnsName origin)
    {
        // Octets of the origin's labels on the wire, each with its length octet (the root's is counted once already).
        var octets = 0;
        for (var i = 0; i < origin.Text.Length; i++)
        {
            if (origin.Text[i] == '\\')
            {
                i += char.IsAsciiDigit(origin.Text[i + 1]) ? 3 : 1;
            }

            octets++;
        }

        return octets; // each dot stands for the following label's length octet
    }

    /// <summary>Appends a non-ASCII character as the \DDD escapes of its UTF-8 octets; returns how many octets.</summary>
    private static int AppendUtf8(StringBuilder builder, ReadOnlySpan<char> character)
    {
        Span<byte> utf8 = stackalloc byte[4];
        var count = Encoding.UTF8.GetBytes(character, utf8);
        for (var k = 0; k < count; k++)
        {
            AppendOctet(builder, utf8[k]);
        }

        return count;
    }

    private static void AppendOctet(StringBuilder builder, int octet)
    {
        switch (octet)
        {
            case '.' or '\\' or '"' or '(' or ')' or ';' or '@' or '$':
                builder.Append('\\').Append((char)octet);
                break;
            case <= 0x20 or >= 0x7f:
                builder.Append('\\').Append(octet.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                builder.Append((char)octet);
                break;
        }
    }

    private static int FirstLabelEnd(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i += char.IsAsciiDigit(text[i + 1]) ? 3 : 1;
                continue;
            }

            if (text[i] == '.')
            {
                return i;
            }
        }

        return text.Length;
    }

    private static bool IsEscapedAt(string text, int index)
    {
        // A dot is escaped when an odd number of backslashes precede it.
        var backslashes = 0;
        for (var i = index - 1; i >= 0 && text[i] == '\\'; i--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }

    public bool Equals(DnsName? other) =>
        other is not null && string.Equals(Text, other.Text, StringComparison.OrdinalIgnoreCase);

    public override bool Equals(object? obj) => obj is DnsName other && Equals(other);

    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Text);

    public int CompareTo(DnsName? other) =>
        other is null ? 1 : string.Compare(Text, other.Text, StringComparison.OrdinalIgnoreCase);

    public static bool operator ==(DnsName? left, DnsName? right) => left?.Equals(right) ?? right is null;

    public static bool operator !=(DnsName? left, DnsName? right) => !(left == right);

    public override string ToString() => Text;
}
