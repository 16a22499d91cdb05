using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>One word of an entry: a bare token or the inside of a quoted string.</summary>
internal readonly record struct Token(int Start, int Length, int Line, int Column, bool Quoted);

/// <summary>
/// Splits master-file text into entries (RFC 1035 §5.1): one line, or several joined by parentheses,
/// with comments removed and quoted strings kept whole. Problems are reported per entry and the
/// tokenizer always moves forward, so no input can make it loop or throw.
/// </summary>
internal sealed class MasterFileTokenizer
{
    /// <summary>
    /// No real record spans this many lines; past it an open '(' is taken to be a mistake. The bound
    /// also keeps the rescans after an unclosed '(' linear in the size of the input.
    /// </summary>
    public const int MaxLinesPerEntry = 1000;

    private readonly string _text;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    public MasterFileTokenizer(string text)
    {
        _text = text;
    }

    public string Text => _text;

    /// <summary>The line the tokenizer is on; after the last entry, the number of lines read.</summary>
    public int Line => _line;

    /// <summary>
    /// Reads the next entry that has at least one token, or reports a problem.
    /// Returns false at the end of the input.
    /// </summary>
    /// <param name="tokens">Filled with the entry's tokens.</param>
    /// <param name="blankOwner">True when the entry's first line starts with white space.</param>
    /// <param name="problem">The first problem met in the entry, if any.</param>
    /// <param name="endLocation">Where the entry ends, for "missing …" messages.</param>
    public bool NextEntry(List<Token> tokens, out bool blankOwner, out (SourceLocation Location, string Message)? problem,
        out SourceLocation endLocation)
    {
        tokens.Clear();
        problem = null;
        blankOwner = false;
        endLocation = default;
        while (_pos < _text.Length)
        {
            blankOwner = _text[_pos] is ' ' or '\t';
            ReadOneEntry(tokens, ref problem, out endLocation);
            if (tokens.Count > 0 || problem is not null)
            {
                return true;
            }
        }

        return false;
    }

    private void ReadOneEntry(List<Token> tokens, ref (SourceLocation Location, string Message)? problem, out SourceLocation endLocation)
    {
        var depth = 0;
        var openLocation = default(SourceLocation);
        var resumePos = -1;
        var resumeLine = 0;
        var linesInEntry = 0;
        var text = _text;
        while (_pos < text.Length)
        {
            var c = text[_pos];
            switch (c)
            {
                case ' ' or '\t' or '\r':
                    _pos++;
                    break;
                case '\n':
                    if (depth == 0)
                    {
                        endLocation = Here();
                        NewLine();
                        return;
                    }

                    NewLine();
                    if (resumePos < 0)
                    {
                        resumePos = _pos;
                        resumeLine = _line;
                    }

                    if (++linesInEntry >= MaxLinesPerEntry)
                    {
                        problem ??= (openLocation, $"'(' opened here is not closed within {MaxLinesPerEntry} lines");
                        Rewind(resumePos, resumeLine, tokens);
                        endLocation = openLocation;
                        return;
                    }

                    break;
                case ';':
                    var newline = text.IndexOf('\n', _pos);
                    _pos = newline < 0 ? text.Length : newline;
                    break;
                case '(':
                    if (depth == 0)
                    {
                        openLocation = Here();
                    }

                    depth++;
                    _pos++;
                    break;
                case ')':
                    if (depth == 0)
                    {
                        problem ??= (Here(), "')' has no matching '('");
                    }
                    else
                    {
                        depth--;
                    }

                    _pos++;
                    break;
                case '"':
                    ReadQuoted(tokens, ref problem);
                    break;
                default:
                    ReadBare(tokens);
                    break;
            }
        }

        endLocation = Here();
        if (depth > 0)
        {
            problem ??= (openLocation, "'(' opened here is never closed");
            if (resumePos >= 0)
            {
                // Read on from the line after the '(' so one typo does not swallow the rest of the file.
                Rewind(resumePos, resumeLine, tokens);
            }
        }
    }

    private void Rewind(int position, int line, List<Token> tokens)
    {
        _pos = position;
        _line = line;
        _lineStart = position;
        tokens.RemoveAll(token => token.Line >= line);
    }

    private void ReadQuoted(List<Token> tokens, ref (SourceLocation Location, string Message)? problem)
    {
        var location = Here();
        var start = ++_pos;
        var text = _text;
        while (_pos < text.Length)
        {
            var c = text[_pos];
            if (c == '"')
            {
                tokens.Add(new Token(start, _pos - start, location.Line, location.Column, Quoted: true));
                _pos++;
                return;
            }

            if (c == '\n')
            {
                break;
            }

            _pos += c == '\\' && _pos + 1 < text.Length && text[_pos + 1] != '\n' ? 2 : 1;
        }

        // Like BIND, a quoted string may not run past the end of its line.
        problem ??= (location, "this quoted string is not closed on its line (a '\"' is missing)");
        tokens.Add(new Token(start, _pos - start, location.Line, location.Column, Quoted: true));
    }

    private void ReadBare(List<Token> tokens)
    {
        var location = Here();
        var start = _pos;
        var text = _text;
        while (_pos < text.Length)
        {
            var c = text[_pos];
            if (c is ' ' or '\t' or '\r' or '\n' or ';' or '(' or ')' or '"')
            {
                break;
            }

            _pos += c == '\\' && _pos + 1 < text.Length && text[_pos + 1] != '\n' ? 2 : 1;
        }

        tokens.Add(new Token(start, _pos - start, location.Line, location.Column, Quoted: false));
    }

    private void NewLine()
    {
        _pos++;
        _line++;
        _lineStart = _pos;
    }

    private SourceLocation Here() => new(_line, _pos - _lineStart + 1);
}
