using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Rules.Diagnosis;

/// <summary>
/// Zone text as it came over the wire, UTF-8 in pooled chunks: a <c>text/dns</c> body copied once from the
/// request stream, or a JSON <c>zoneFile</c> unescaped once from the parsed body. The parser reads it
/// through <see cref="Open"/> (as often as a diagnosis needs: a zone may be read twice), so a large zone is
/// held once, at a byte a character, instead of as a string (two bytes a character) beside the body.
/// </summary>
public sealed class ZoneTextBuffer : ZoneBytes, IDisposable
{
    /// <summary>Large enough that a big zone is a few hundred chunks; the pool keeps chunks of this size for the next request.</summary>
    private const int ChunkSize = 1 << 20;

    private readonly List<byte[]> _chunks = [];
    private readonly bool _mayStartWithByteOrderMark;
    private long _length;
    private bool _disposed;

    private ZoneTextBuffer(bool mayStartWithByteOrderMark) => _mayStartWithByteOrderMark = mayStartWithByteOrderMark;

    /// <summary>The bytes held.</summary>
    public override long Length => _length;

    protected override bool StartsWithMark => _mayStartWithByteOrderMark;

    public override int Read(long position, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var total = 0;
        while (destination.Length > 0 && position < _length)
        {
            var chunk = _chunks[(int)(position / ChunkSize)];
            var at = (int)(position % ChunkSize);
            var count = (int)Math.Min(Math.Min(destination.Length, ChunkSize - at), _length - position);
            chunk.AsSpan(at, count).CopyTo(destination);
            destination = destination[count..];
            position += count;
            total += count;
        }

        return total;
    }

    /// <summary>
    /// Copies a request body (a <c>text/dns</c> zone) from its stream. A byte-order mark at its start is
    /// skipped when it is read, as a reader of the body always did.
    /// </summary>
    public static async Task<ZoneTextBuffer> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new ZoneTextBuffer(mayStartWithByteOrderMark: true);
        try
        {
            while (true)
            {
                var chunk = buffer.Tail();
                var used = (int)(buffer._length % ChunkSize);
                var read = await body.ReadAsync(chunk.AsMemory(used, ChunkSize - used), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer;
                }

                buffer._length += read;
            }
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The text of a JSON string, unescaped straight into UTF-8 (no string is made of it). The caller has
    /// checked that it is valid text (<see cref="Facts.JsonTextCheck"/>). A U+FEFF at its start is text, not a mark.
    /// </summary>
    public static ZoneTextBuffer FromJsonString(JsonElement value) =>
        // The token as it stands in the body, quotes included; the document has already validated it, so it is not
        // read again (a reader over a 5 MB string scans all of it once more) but taken between its quotes.
        FromJsonToken(JsonMarshal.GetRawUtf8Value(value));

    /// <summary>
    /// The text of a JSON string token as it stands in a body, quotes and escapes included, that a reader has validated
    /// and the caller has checked is valid text.
    /// </summary>
    public static ZoneTextBuffer FromJsonToken(ReadOnlySpan<byte> raw)
    {
        var text = raw.Length >= 2 && raw[0] == (byte)'"' && raw[^1] == (byte)'"'
            ? raw[1..^1]
            : throw new ArgumentException("not a JSON string", nameof(raw));
        var buffer = new ZoneTextBuffer(mayStartWithByteOrderMark: false);
        if (!text.Contains((byte)'\\'))
        {
            buffer.Append(text);
            return buffer;
        }

        buffer.AppendUnescaped(text);
        return buffer;
    }

    /// <summary>A reader over the whole text, from its start; each call gives a new one.</summary>
    public TextReader Open() => Open(0, _length);

    public void Dispose()
    {
        _disposed = true;
        foreach (var chunk in _chunks)
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        _chunks.Clear();
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        while (bytes.Length > 0)
        {
            var used = (int)(_length % ChunkSize);
            var count = Math.Min(bytes.Length, ChunkSize - used);
            bytes[..count].CopyTo(Tail().AsSpan(used));
            _length += count;
            bytes = bytes[count..];
        }
    }

    /// <summary>
    /// Appends the text of a JSON string's escaped value (RFC 8259 §7) as UTF-8, a run of plain bytes at a
    /// time: no array as large as the value is needed beside the chunks. A <c>\u</c> escape of half a
    /// surrogate pair (which the caller's check refuses before) becomes U+FFFD.
    /// </summary>
    private void AppendUnescaped(ReadOnlySpan<byte> escaped)
    {
        Span<byte> utf8 = stackalloc byte[4];
        while (escaped.Length > 0)
        {
            var backslash = escaped.IndexOf((byte)'\\');
            if (backslash < 0)
            {
                Append(escaped);
                return;
            }

            Append(escaped[..backslash]);
            var kind = escaped[backslash + 1];
            escaped = escaped[(backslash + 2)..];
            if (kind != (byte)'u')
            {
                utf8[0] = kind switch
                {
                    (byte)'b' => (byte)'\b',
                    (byte)'f' => (byte)'\f',
                    (byte)'n' => (byte)'\n',
                    (byte)'r' => (byte)'\r',
                    (byte)'t' => (byte)'\t',
                    _ => kind, // \" \\ \/
                };
                Append(utf8[..1]);
                continue;
            }

            var unit = Hex4(escaped);
            escaped = escaped[4..];
            var rune = Rune.ReplacementChar;
            if (char.IsHighSurrogate((char)unit) && escaped.Length >= 6 && escaped[0] == (byte)'\\' && escaped[1] == (byte)'u'
                && char.IsLowSurrogate((char)Hex4(escaped[2..])))
            {
                rune = new Rune((char)unit, (char)Hex4(escaped[2..]));
                escaped = escaped[6..];
            }
            else if (!char.IsSurrogate((char)unit))
            {
                rune = new Rune(unit);
            }

            Append(utf8[..rune.EncodeToUtf8(utf8)]);
        }
    }

    private static int Hex4(ReadOnlySpan<byte> digits) => int.Parse(digits[..4], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    /// <summary>The chunk the next byte goes into: a new one when the last is full.</summary>
    private byte[] Tail()
    {
        if (_length == (long)_chunks.Count * ChunkSize)
        {
            _chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkSize));
        }

        return _chunks[^1];
    }
}
