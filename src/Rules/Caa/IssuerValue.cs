namespace RulesApi.Rules.Caa;

/// <summary>
/// The value of an <c>issue</c> or <c>issuewild</c> property, read with the grammar of RFC 8659 §4.2:
/// an optional issuer domain name, then optional <c>; tag=value</c> parameters. A value that does not
/// match the grammar authorises nobody (§4.2: as if the issuer domain name were empty), so
/// <see cref="ErrorIndex"/> and <see cref="Error"/> say exactly which character broke it.
/// </summary>
public sealed record IssuerValue(string Raw, string? Issuer, IReadOnlyList<KeyValuePair<string, string>> Parameters, int ErrorIndex, string? Error)
{
    public bool IsValid => Error is null;

    /// <summary>True for <c>";"</c> and other values that name no issuer: nobody may issue.</summary>
    public bool NamesNoIssuer => IsValid && Issuer is null;

    public static IssuerValue Parse(string value)
    {
        var parser = new Reader(value);
        return parser.Read();
    }

    private sealed class Reader(string text)
    {
        private int _i;
        private string? _issuer;
        private readonly List<KeyValuePair<string, string>> _parameters = [];

        public IssuerValue Read()
        {
            SkipSpace();
            if (_i < text.Length && text[_i] != ';')
            {
                var start = _i;
                if (!ReadDomain(out var error))
                {
                    return Fail(error);
                }

                _issuer = text[start.._i];
                SkipSpace();
            }

            if (_i < text.Length)
            {
                if (text[_i] != ';')
                {
                    return Fail(text[_i] == '"'
                        ? "a double quote is inside the value; the quotes belong around the value, not in it"
                        : $"only ';' and parameters may follow the issuer name, not '{Printable(text[_i])}'");
                }

                _i++;
                SkipSpace();
                if (_i < text.Length && !ReadParameters(out var error))
                {
                    return Fail(error);
                }
            }

            return new IssuerValue(text, _issuer, _parameters, -1, null);
        }

        private bool ReadDomain(out string error)
        {
            while (true)
            {
                if (!ReadLabel("issuer domain name", out error))
                {
                    return false;
                }

                if (_i < text.Length && text[_i] == '.')
                {
                    _i++;
                    if (_i >= text.Length || text[_i] is ' ' or '\t' or ';')
                    {
                        _i--;
                        error = "the issuer domain name ends with a dot; CAA issuer names are written without the final dot (amazon.com, not amazon.com.)";
                        return false;
                    }

                    continue;
                }

                return true;
            }
        }

        // label = (ALPHA / DIGIT) *( *("-") (ALPHA / DIGIT)); the same shape serves parameter tags.
        private bool ReadLabel(string what, out string error)
        {
            error = "";
            if (_i >= text.Length || !char.IsAsciiLetterOrDigit(text[_i]))
            {
                error = _i >= text.Length
                    ? $"the {what} is cut short"
                    : text[_i] == '"'
                        ? "a double quote is inside the value; the quotes belong around the value, not in it"
                        : $"'{Printable(text[_i])}' cannot start a label of the {what} (letters and digits only)";
                return false;
            }

            while (_i < text.Length && (char.IsAsciiLetterOrDigit(text[_i]) || text[_i] == '-'))
            {
                _i++;
            }

            if (text[_i - 1] == '-')
            {
                _i--;
                error = $"a label of the {what} ends with '-'";
                return false;
            }

            if (_i < text.Length && text[_i] is not ('.' or ' ' or '\t' or ';' or '='))
            {
                error = $"'{Printable(text[_i])}' is not allowed in the {what} (letters, digits and '-' only)";
                return false;
            }

            return true;
        }

        private bool ReadParameters(out string error)
        {
            while (true)
            {
                var tagStart = _i;
                if (!ReadLabel("parameter tag", out error))
                {
                    return false;
                }

                if (_i < text.Length && text[_i] == '.')
                {
                    error = "'.' is not allowed in a parameter tag";
                    return false;
                }

                var tag = text[tagStart.._i];
                SkipSpace();
                if (_i >= text.Length || text[_i] != '=')
                {
                    error = $"the parameter '{tag}' needs '=' and a value";
                    return false;
                }

                _i++;
                SkipSpace();
                var valueStart = _i;
                while (_i < text.Length && text[_i] is >= '!' and <= '~' && text[_i] != ';')
                {
                    _i++;
                }

                _parameters.Add(new(tag, text[valueStart.._i]));
                var beforeSpace = _i;
                SkipSpace();
                if (_i >= text.Length)
                {
                    return true;
                }

                if (text[_i] != ';')
                {
                    if (_i > beforeSpace)
                    {
                        error = $"the value of parameter '{tag}' contains a space; parameter values cannot";
                        return false;
                    }

                    error = $"'{Printable(text[_i])}' is not allowed in a parameter value";
                    return false;
                }

                _i++;
                SkipSpace();
                if (_i >= text.Length)
                {
                    error = "a ';' at the end must be followed by another parameter";
                    _i--;
                    return false;
                }
            }
        }

        private void SkipSpace()
        {
            while (_i < text.Length && text[_i] is ' ' or '\t')
            {
                _i++;
            }
        }

        private IssuerValue Fail(string error) => new(text, null, [], Math.Min(_i, Math.Max(text.Length - 1, 0)), error);

        private static string Printable(char c) => c is < ' ' or > '~' ? $"\\{(int)c:D3}" : c.ToString();
    }
}
