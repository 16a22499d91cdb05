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

    /// <summary>
    /// Characters read from the source at a time; the text is handled a block of whole lines at a time. A block
    /// of 64K characters (a 256 KB array from the pool) reads as fast as one of 1M, whose 4 MB array was a
    /// twentieth of a million-record audit's peak memory.
    /// </summary>
    public const int DefaultBlockSize = 1 << 16;

    /// <summary>
    /// The longest line read, in characters. Real records are far shorter (a 4096-bit RSA DNSKEY is about
    /// 700 characters; the largest RDATA, 65,535 octets, fits in hex on two such lines); a longer line means
    /// the input is not a zone file (a device such as /dev/zero, a minified blob), and reading it
    /// whole would only use memory without end.
    /// </summary>
    public const int MaxLineLength = 64 * 1024;

    private readonly TextReader _reader;
    private readonly int _blockSize;

    // The block: _buffer[0.._length) is whole lines; _buffer[_length.._filled) is the start of the next
    // line, read but not yet complete. The array comes from the shared pool and is reused block after
    // block (the text before the entry being read is dropped by moving the rest to the front), so a large
    // file costs one array, not a string per block.
    private char[]? _buffer;
    private int _length;
    private int _filled;
    private bool _endOfInput;
    private int _pos;
    private int _line;
    private int _lineStart;

    /// <summary>
    /// Reads from a text reader a block at a time, so a large zone file is never held whole. The block comes
    /// from the shared pool and goes back on <see cref="Dispose"/>: a service parsing zones all day reuses a
    /// few blocks instead of leaving an array behind per request.
    /// </summary>
    /// <param name="firstLine">The number of the reader's first line: 1, or more when the text is read from a line in its middle.</param>
    public MasterFileTokenizer(TextReader reader, int blockSize = DefaultBlockSize, int firstLine = 1)
    {
        _reader = reader;
        _blockSize = blockSize;
        _line = firstLine;
        _buffer = System.Buffers.ArrayPool<char>.Shared.Rent(blockSize + 16);
        var none = -1;
        LoadBlock(0, null, ref none);
    }

    /// <summary>The current block of text (see <see cref="Length"/>); token positions refer to it until the next entry is read.</summary>
    public char[] Text => _buffer ?? throw new ObjectDisposedException(nameof(MasterFileTokenizer));

    /// <summary>How much of <see cref="Text"/> is the block: whole lines.</summary>
    public int Length => _length;

    /// <summary>The line the tokenizer is on; after the last entry, the number of lines read.</summary>
    public int Line => _line;

    /// <summary>Where a NUL character was met: the input is binary, and reading stopped there.</summary>
    public SourceLocation? BinaryAt { get; private set; }

    /// <summary>Where a line longer than <see cref="MaxLineLength"/> starts: reading stopped there.</summary>
    public SourceLocation? OverlongLineAt { get; private set; }

    /// <summary>
    /// True when the input ended inside parentheses: read as the first part of a longer text, the entry would have gone
    /// on past that end (<see cref="MasterFileParser"/> then reads the text whole).
    /// </summary>
    public bool EndedInsideParentheses { get; private set; }

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
        while (_pos < _length || LoadBlock(_pos, null, ref none))
        {
            blankOwner = _buffer![_pos] is ' ' or '\t';
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

        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(MasterFileTokenizer));
        var kept = _filled - keepFrom;
        Array.Copy(buffer, keepFrom, buffer, 0, kept);
        _filled = kept;
        var cut = -1;
        var lastLineStart = buffer.AsSpan(0, kept).LastIndexOf('\n') + 1;
        var overlongStart = -1;
        while (cut < 0)
        {
            if (buffer.Length - _filled < _blockSize)
            {
                // Whole lines only: an entry or a line longer than the free space makes the array larger.
                var larger = System.Buffers.ArrayPool<char>.Shared.Rent(Math.Max(buffer.Length * 2, _filled + _blockSize));
                Array.Copy(buffer, larger, _filled);
                System.Buffers.ArrayPool<char>.Shared.Return(buffer);
                _buffer = buffer = larger;
            }

            var read = _reader.ReadBlock(buffer, _filled, _blockSize);
            if (read == 0)
            {
                _endOfInput = true;
                break;
            }

            var before = _filled;
            _filled += read;
            var chunk = buffer.AsSpan(before, read);
            var newline = chunk.LastIndexOf('\n');
            cut = newline < 0 ? -1 : before + newline;
            if (chunk.Contains('\0'))
            {
                // Binary input: what follows the NUL is never needed (the check below stops there).
                _endOfInput = true;
                break;
            }

            if (cut < 0 && _filled - lastLineStart > MaxLineLength)
            {
                overlongStart = lastLineStart;
                _endOfInput = true;
                break;
            }

            lastLineStart = cut < 0 ? lastLineStart : cut + 1;
        }

        _length = _endOfInput ? _filled : cut + 1;
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
        var from = Math.Max(_pos, 0);
        overlongStart = FirstOverlongLine(buffer.AsSpan(0, _length), from, overlongStart);
        var nul = buffer.AsSpan(from, _length - from).IndexOf('\0');
        nul = nul < 0 ? -1 : nul + from;
        if (nul >= 0 && (overlongStart < 0 || nul <= overlongStart + MaxLineLength))
        {
            var (line, lineStart) = LineOf(nul);

            // Nothing of the line with the NUL is read: it is not text.
            BinaryAt = new SourceLocation(line, nul - lineStart + 1);
            _length = Math.Max(lineStart, _pos);
            _endOfInput = true;
        }
        else if (overlongStart >= 0)
        {
            var (line, lineStart) = LineOf(overlongStart);
            OverlongLineAt = new SourceLocation(line, 1);
            _length = Math.Max(lineStart, _pos);
            _endOfInput = true;
        }

        return _pos < _length;
    }

    /// <summary>The line number and start of the line holding a position of the block at or after the tokenizer's.</summary>
    private (int Line, int LineStart) LineOf(int position)
    {
        var line = _line;
        var lineStart = _lineStart;
        var text = _buffer!.AsSpan(0, _length);
        for (var i = IndexOfNewline(text, _pos); i >= 0 && i < position; i = IndexOfNewline(text, i + 1))
        {
            line++;
            lineStart = i + 1;
        }

        return (line, lineStart);
    }

    private static int IndexOfNewline(ReadOnlySpan<char> text, int from)
    {
        if (from >= text.Length)
        {
            return -1;
        }

        var at = text[from..].IndexOf('\n');
        return at < 0 ? -1 : at + from;
    }

    /// <summary>The start of the first line longer than <see cref="MaxLineLength"/> from <paramref name="from"/>, or <paramref name="known"/>.</summary>
    private static int FirstOverlongLine(ReadOnlySpan<char> text, int from, int known)
    {
        var end = known < 0 ? text.Length : known;
        var start = from;
        while (start < end)
        {
            var newline = text[start..end].IndexOf('\n');
            var lineEnd = newline < 0 ? end : start + newline;
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
        var text = _buffer!;
        while (true)
        {
            if (_pos >= _length)
            {
                // A block ends with a whole line: an entry whose parentheses are still open goes on in the next one.
                if (depth == 0 || !LoadBlock(entryStart, tokens, ref resumePos))
                {
                    break;
                }

                entryStart = 0;
                text = _buffer!;
                continue;
            }

            var c = text[_pos];
            switch (c)
            {
                case ' ' or '\t':
                    _pos++;
                    break;
                case '\r':
                    // Before a LF it is part of the line's end (CRLF). Alone (a file from classic Mac OS), it ends the entry
                    // outside parentheses, as in BIND's reader, which likewise counts it as no new line (its errors there are
                    // on the LF-counted line) and ends neither a comment nor a quoted string at it. A block ends with a LF, so
                    // only the text's last character can be a CR with nothing after it.
                    _pos++;
                    if (depth == 0 && (_pos >= _length || text[_pos] != '\n'))
                    {
                        endLocation = Here();
                        return;
                    }

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
                    var newline = IndexOfNewline(text.AsSpan(0, _length), _pos);
                    _pos = newline < 0 ? _length : newline;
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
            EndedInsideParentheses = true;
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
        var text = _buffer!;
        var length = _length;
        while (_pos < length)
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

            _pos += c == '\\' && _pos + 1 < length && text[_pos + 1] != '\n' ? 2 : 1;
        }

        // Like BIND, a quoted string may not run past the end of its line.
        problem ??= (location, "this quoted string is not closed on its line (a '\"' is missing)");
        tokens.Add(new Token(start, _pos - start, location.Line, location.Column, Quoted: true));
    }

    private void ReadBare(List<Token> tokens)
    {
        var location = Here();
        var start = _pos;
        var text = _buffer!;
        var length = _length;
        while (_pos < length)
        {
            var c = text[_pos];
            if (c is ' ' or '\t' or '\r' or '\n' or ';' or '(' or ')' or '"')
            {
                break;
            }

            _pos += c == '\\' && _pos + 1 < length && text[_pos + 1] != '\n' ? 2 : 1;
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
