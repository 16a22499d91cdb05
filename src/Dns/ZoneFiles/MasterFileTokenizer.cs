using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>One word of an entry: a bare token or the inside of a quoted string.</summary>
internal readonly record struct Token(int Start, int Length, int Line, int Column, bool Quoted);

/// <summary>
/// Splits master-file text into entries (RFC 1035 §5.1): one line, or several joined by parentheses,
/// with comments removed and quoted strings kept whole. Problems are reported per entry and the
/// tokenizer always moves forward, so no input can make it loop or throw.
/// </summary>
internal sealed class MasterFileTokenizer : IDisposable
{
    /// <summary>
    /// No real record spans this many lines; past it an open '(' is taken to be a mistake. The bound
    /// also keeps the rescans after an unclosed '(' linear in the size of the input.
    /// </summary>
    public const int MaxLinesPerEntry = 1000;

    /// <summary>Characters read from the source at a time; the text is handled a block of whole lines at a time.</summary>
    public const int DefaultBlockSize = 1 << 20;

    /// <summary>
    /// The longest line read, in characters. Real records are far shorter (a 4096-bit RSA DNSKEY is about
    /// 700 characters; the largest RDATA, 65,535 octets, fits in hex on two such lines); a longer line means
    /// the input is not a zone file (a device such as /dev/zero, a minified blob), and reading it
    /// whole would only use memory without end.
    /// </summary>
    public const int MaxLineLength = 64 * 1024;

    private readonly TextReader _reader;
    private readonly int _blockSize;
    private char[]? _buffer;
    private string _text = "";
    private string _pending = "";
    private bool _endOfInput;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    /// <summary>
    /// Reads from a text reader a block at a time, so a large zone file is never held whole. The block comes
    /// from the shared pool and goes back on <see cref="Dispose"/>: a service parsing zones all day reuses a
    /// few blocks instead of leaving a 2 MB array behind per request.
    /// </summary>
    public MasterFileTokenizer(TextReader reader, int blockSize = DefaultBlockSize)
    {
        _reader = reader;
        _blockSize = blockSize;
        _buffer = System.Buffers.ArrayPool<char>.Shared.Rent(blockSize);
        var none = -1;
        LoadBlock(0, null, ref none);
    }

    /// <summary>The current block of text; token positions refer to it until the next entry is read.</summary>
    public string Text => _text;

    /// <summary>The line the tokenizer is on; after the last entry, the number of lines read.</summary>
    public int Line => _line;

    /// <summary>Where a NUL character was met: the input is binary, and reading stopped there.</summary>
    public SourceLocation? BinaryAt { get; private set; }

    /// <summary>Where a line longer than <see cref="MaxLineLength"/> starts: reading stopped there.</summary>
    public SourceLocation? OverlongLineAt { get; private set; }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            System.Buffers.ArrayPool<char>.Shared.Return(buffer);
        }
    }

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
        var none = -1;
        // After binary data or an overlong line the block ends before it, and no more is loaded.
        while (_pos < _text.Length || LoadBlock(_pos, null, ref none))
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

    /// <summary>
    /// Replaces the block by its text from <paramref name="keepFrom"/> on, followed by the next lines of
    /// the input, and moves every position (the tokens of the entry being read too) to match. A block
    /// always ends with a whole line, so no token is ever cut in two. Returns false at the end of the input.
    /// </summary>
    private bool LoadBlock(int keepFrom, List<Token>? tokens, ref int resumePos)
    {
        if (_endOfInput)
        {
            return false;
        }

        var builder = new System.Text.StringBuilder();
        builder.Append(_text, keepFrom, _text.Length - keepFrom).Append(_pending);
        var cut = -1;
        var lastLineStart = LastLineStart(builder);
        var overlongStart = -1;
        while (cut < 0)
        {
            var buffer = _buffer ?? throw new ObjectDisposedException(nameof(MasterFileTokenizer));
            var read = _reader.ReadBlock(buffer, 0, _blockSize);
            if (read == 0)
            {
                _endOfInput = true;
                break;
            }

            var before = builder.Length;
            builder.Append(buffer, 0, read);
            var newline = Array.LastIndexOf(buffer, '\n', read - 1);
            cut = newline < 0 ? -1 : before + newline;
            if (Array.IndexOf(buffer, '\0', 0, read) >= 0)
            {
                // Binary input: what follows the NUL is never needed (the check below stops there).
                _endOfInput = true;
                break;
            }

            if (cut < 0 && builder.Length - lastLineStart > MaxLineLength)
            {
                overlongStart = lastLineStart;
                _endOfInput = true;
                break;
            }

            lastLineStart = cut < 0 ? lastLineStart : cut + 1;
        }

        var combined = builder.ToString();
        _text = _endOfInput ? combined : combined[..(cut + 1)];
        _pending = _endOfInput ? "" : combined[(cut + 1)..];
        _pos -= keepFrom;
        _lineStart -= keepFrom;
        if (resumePos >= 0)
        {
            resumePos -= keepFrom;
        }

        if (tokens is not null)
        {
            for (var i = 0; i < tokens.Count; i++)
            {
                tokens[i] = tokens[i] with { Start = tokens[i].Start - keepFrom };
            }
        }

        // A line of the block may be overlong too (a block ends only at a newline); the first one stops reading.
        overlongStart = FirstOverlongLine(_text, Math.Max(_pos, 0), overlongStart);
        var nul = _text.IndexOf('\0', _pos);
        if (nul >= 0 && (overlongStart < 0 || nul <= overlongStart + MaxLineLength))
        {
            var (line, lineStart) = LineOf(nul);

            // Nothing of the line with the NUL is read: it is not text.
            BinaryAt = new SourceLocation(line, nul - lineStart + 1);
            _text = _text[..Math.Max(lineStart, _pos)];
            _endOfInput = true;
        }
        else if (overlongStart >= 0)
        {
            var (line, lineStart) = LineOf(overlongStart);
            OverlongLineAt = new SourceLocation(line, 1);
            _text = _text[..Math.Max(lineStart, _pos)];
            _endOfInput = true;
        }

        return _pos < _text.Length;
    }

    /// <summary>The line number and start of the line holding a position of the block at or after the tokenizer's.</summary>
    private (int Line, int LineStart) LineOf(int position)
    {
        var line = _line;
        var lineStart = _lineStart;
        for (var i = _text.IndexOf('\n', _pos); i >= 0 && i < position; i = _text.IndexOf('\n', i + 1))
        {
            line++;
            lineStart = i + 1;
        }

        return (line, lineStart);
    }

    private static int LastLineStart(System.Text.StringBuilder builder)
    {
        for (var i = builder.Length - 1; i >= 0; i--)
        {
            if (builder[i] == '\n')
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary>The start of the first line longer than <see cref="MaxLineLength"/> from <paramref name="from"/>, or <paramref name="known"/>.</summary>
    private static int FirstOverlongLine(string text, int from, int known)
    {
        var end = known < 0 ? text.Length : known;
        var start = from;
        while (start < end)
        {
            var newline = text.IndexOf('\n', start, end - start);
            var lineEnd = newline < 0 ? end : newline;
            if (lineEnd - start > MaxLineLength)
            {
                return start;
            }

            start = lineEnd + 1;
        }

        return known;
    }

    private void ReadOneEntry(List<Token> tokens, ref (SourceLocation Location, string Message)? problem, out SourceLocation endLocation)
    {
        var depth = 0;
        var openLocation = default(SourceLocation);
        var resumePos = -1;
        var resumeLine = 0;
        var linesInEntry = 0;
        var entryStart = _pos;
        var text = _text;
        while (true)
        {
            if (_pos >= text.Length)
            {
                // A block ends with a whole line: an entry whose parentheses are still open goes on in the next one.
                if (depth == 0 || !LoadBlock(entryStart, tokens, ref resumePos))
                {
                    break;
                }

                entryStart = 0;
                text = _text;
                continue;
            }

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
