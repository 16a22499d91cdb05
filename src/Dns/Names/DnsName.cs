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

            var rest = Text[(FirstLabelEnd(Text) + 1)..];
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

        var rest = text[(FirstLabelEnd(text) + 1)..];
        return rest.Length == 0 ? "." : rest;
    }

    /// <summary>The first label in presentation form (escapes kept).</summary>
    public string FirstLabel => IsRoot ? string.Empty : Text[..FirstLabelEnd(Text)];

    public bool IsSubdomainOf(DnsName other) => IsSubdomainOf(Text, LabelCount, other);

    /// <summary><see cref="IsSubdomainOf(DnsName)"/> for a name given as canonical text and its number of labels.</summary>
    public static bool IsSubdomainOf(ReadOnlySpan<char> text, int labelCount, DnsName other)
    {
        if (other.IsRoot)
        {
            return true;
        }

        if (other.LabelCount > labelCount || !text.EndsWith(other.Text, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // The match must start at a label boundary: skip the labels this name has beyond the other's.
        var labels = new LabelScanner(text);
        for (var skip = labelCount - other.LabelCount; skip > 0; skip--)
        {
            labels.MoveNext();
        }

        return labels.Position == text.Length - other.Text.Length;
    }

    /// <summary>
    /// Prepends one label given in presentation form (escapes are read and the label written in
    /// canonical form, so <c>a\@b</c> and <c>a@b</c> give the same name).
    /// </summary>
    /// <exception cref="ArgumentException">The text is not exactly one well-formed label, or the name would be too long.</exception>
    public DnsName Prepend(string label)
    {
        var scanner = new LabelScanner(label);
        if (!scanner.MoveNext() || scanner.EndedByDot)
        {
            throw new ArgumentException($"'{label}' is not one label: {scanner.Error ?? "it is empty or has an unescaped dot"}", nameof(label));
        }

        return TryParse(label.AsSpan(), this, out var name, out var error)
            ? name
            : throw new ArgumentException($"'{label}' cannot go before {Text}: {error}", nameof(label));
    }

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

        // Almost every name in a real zone is plain: then the text is already canonical and only lengths need checking.
        return LabelScanner.IsPlain(text)
            ? TryParsePlain(text, origin, out name, out error)
            : TryParseEscaped(text, origin, out name, out error);
    }

    private static bool TryParsePlain(ReadOnlySpan<char> text, DnsName? origin, out DnsName name, out string? error)
    {
        name = Root;
        if (!CheckPlain(text, out var labels, out var wireLength, out var absolute, out error))
        {
            return false;
        }

        var body = absolute ? text[..^1] : text;
        return Finish(absolute ? text.ToString() : null, body, labels, wireLength, absolute, origin, out name, out error);
    }

    /// <summary>The label and length checks of a name without escapes; <paramref name="absolute"/> when it ends with a dot.</summary>
    private static bool CheckPlain(ReadOnlySpan<char> text, out int labels, out int wireLength, out bool absolute, out string? error)
    {
        labels = 0;
        wireLength = 1; // the root label's length octet
        absolute = false;
        var scanner = new LabelScanner(text);
        while (scanner.MoveNext())
        {
            var length = scanner.Current.Length;
            if (length == 0)
            {
                error = "empty label (two dots in a row, or a leading dot)";
                return false;
            }

            if (length > MaxLabelOctets)
            {
                // The label is quoted only in part: an error must not echo a multi-megabyte input back whole.
                var shown = length > 80 ? string.Concat(scanner.Current[..80], "…") : scanner.Current.ToString();
                error = $"label '{shown}' is {length} octets long; the limit is {MaxLabelOctets}";
                return false;
            }

            labels++;
            wireLength += length + 1;
            absolute = scanner.EndedByDot;
        }

        error = null;
        return true;
    }

    /// <summary>The longest canonical text of a name: 255 octets, each at worst written as <c>\DDD</c>.</summary>
    public const int MaxTextLength = 4 * MaxNameOctets;

    /// <summary>
    /// What <see cref="TryParse(ReadOnlySpan{char}, DnsName?, out DnsName, out string?)"/> does — the same checks, the
    /// same errors — but the canonical text is written into <paramref name="destination"/> (at least
    /// <see cref="MaxTextLength"/> long) instead of making a name: a zone audit checks the owners of the
    /// records it does not keep without a name object each. <see cref="FromCanonical"/> makes the name later if needed.
    /// </summary>
    public static bool TryWriteCanonical(ReadOnlySpan<char> text, DnsName? origin, Span<char> destination, out int written, out int labelCount, out string? error)
    {
        written = labelCount = 0;
        if (text.Length == 0 || (text.Length == 1 && text[0] == '.') || !LabelScanner.IsPlain(text))
        {
            if (!TryParse(text, origin, out var name, out error))
            {
                return false;
            }

            name.Text.CopyTo(destination);
            written = name.Text.Length;
            labelCount = name.LabelCount;
            return true;
        }

        if (!CheckPlain(text, out var labels, out var wireLength, out var absolute, out error))
        {
            return false;
        }

        if (absolute)
        {
            if (wireLength > MaxNameOctets)
            {
                error = $"the name is {wireLength} octets long on the wire; the limit is {MaxNameOctets}";
                return false;
            }

            text.CopyTo(destination);
            written = text.Length;
            labelCount = labels;
            return true;
        }

        if (origin is null)
        {
            error = $"'{text}' is a relative name and there is no origin to complete it (add $ORIGIN or give the origin)";
            return false;
        }

        var total = wireLength + (origin.IsRoot ? 0 : origin.WireLength() - 1);
        if (total > MaxNameOctets)
        {
            error = $"the name is {total} octets long on the wire once the origin is appended; the limit is {MaxNameOctets}";
            return false;
        }

        text.CopyTo(destination);
        destination[text.Length] = '.';
        written = text.Length + 1;
        if (!origin.IsRoot)
        {
            origin.Text.CopyTo(destination[written..]);
            written += origin.Text.Length;
        }

        labelCount = labels + origin.LabelCount;
        return true;
    }

    /// <summary>A name from canonical text that <see cref="TryWriteCanonical"/> wrote (so already checked).</summary>
    public static DnsName FromCanonical(string text, int labelCount) => text == "." ? Root : new DnsName(text, labelCount);

    private static bool TryParseEscaped(ReadOnlySpan<char> text, DnsName? origin, out DnsName name, out string? error)
    {
        name = Root;
        var canonical = new StringBuilder(text.Length + 8);
        Span<byte> octets = stackalloc byte[MaxLabelOctets + 1];
        var labels = 0;
        var wireLength = 1;
        var absolute = false;
        var scanner = new LabelScanner(text);
        while (scanner.MoveNext())
        {
            if (scanner.Current.Length == 0)
            {
                error = "empty label (two dots in a row, or a leading dot)";
                return false;
            }

            var count = LabelScanner.Decode(scanner.Current, octets, out error);
            if (count < 0 && error is not null)
            {
                return false;
            }

            if (count < 0 || count > MaxLabelOctets)
            {
                error = $"a label is longer than {MaxLabelOctets} octets";
                return false;
            }

            if (labels > 0)
            {
                canonical.Append('.');
            }

            foreach (var octet in octets[..count])
            {
                LabelScanner.AppendOctet(canonical, octet);
            }

            labels++;
            wireLength += count + 1;
            absolute = scanner.EndedByDot;
        }

        if (scanner.Error is not null)
        {
            error = scanner.Error;
            return false;
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

        var total = wireLength + (origin.IsRoot ? 0 : origin.WireLength() - 1);
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

    /// <summary>The octets of the name on the wire: each label with its length octet, and the root's.</summary>
    private int WireLength()
    {
        if (LabelScanner.IsPlain(Text))
        {
            return Text.Length + 1; // each dot stands for the following label's length octet, plus the first label's
        }

        Span<byte> octets = stackalloc byte[MaxLabelOctets + 1];
        var length = 1;
        var scanner = new LabelScanner(Text);
        while (scanner.MoveNext())
        {
            length += LabelScanner.Decode(scanner.Current, octets, out _) + 1;
        }

        return length;
    }

    private static int FirstLabelEnd(ReadOnlySpan<char> text)
    {
        var scanner = new LabelScanner(text);
        scanner.MoveNext();
        return scanner.Current.Length;
    }

    /// <summary>Equal on the wire: the same octets, ASCII letters compared without case (RFC 4343).</summary>
    public bool Equals(DnsName? other) =>
        ReferenceEquals(this, other)
        || (other is not null && (_hash == 0 || other._hash == 0 || _hash == other._hash) && string.Equals(Text, other.Text, StringComparison.OrdinalIgnoreCase));

    public override bool Equals(object? obj) => obj is DnsName other && Equals(other);

    public override int GetHashCode()
    {
        // Worked out once per name: names are the keys of nearly every memo, set and index a diagnosis uses, and the
        // case-insensitive hash of their text showed in profiles. It fits in the object's padding (no larger object).
        // A race computes the same value twice; 0 stands for "not yet", so a text whose hash is 0 is hashed each time.
        var hash = _hash;
        if (hash == 0)
        {
            hash = StringComparer.OrdinalIgnoreCase.GetHashCode(Text);
            _hash = hash;
        }

        return hash;
    }

    /// <summary>The hash of <see cref="Text"/> once <see cref="GetHashCode"/> has worked it out; 0 until then.</summary>
    private int _hash;

    /// <summary>
    /// Presentation order: the canonical texts compared ordinally with ASCII letters folded to upper case.
    /// This is a stable, cheap order for listing names; it is <em>not</em> DNSSEC's canonical order
    /// (RFC 4034 §6.1, label by label from the right), which <see cref="DnsSec.CanonicalOrder"/> gives.
    /// </summary>
    public int CompareTo(DnsName? other) =>
        other is null ? 1 : string.Compare(Text, other.Text, StringComparison.OrdinalIgnoreCase);

    public static bool operator ==(DnsName? left, DnsName? right) => left?.Equals(right) ?? right is null;

    public static bool operator !=(DnsName? left, DnsName? right) => !(left == right);

    public override string ToString() => Text;
}
