using System.Text;
using Microsoft.Win32.SafeHandles;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>
/// Zone text as UTF-8 bytes that can be read from any place in them: a file, or a request body held in memory. The
/// parser reads a large zone in two parts at once, one on each core (<see cref="MasterFileParser.Parse(ZoneBytes, ZoneParserOptions?)"/>),
/// which a reader that only goes forward cannot give it. A part starts after a newline byte, which never stands inside
/// a character in UTF-8, so each part decodes on its own.
/// </summary>
public abstract class ZoneBytes
{
    /// <summary>How many bytes the text has.</summary>
    public abstract long Length { get; }

    /// <summary>Copies the bytes from <paramref name="position"/> on into <paramref name="destination"/>; how many (0 at the end). Safe to call from several threads at once.</summary>
    public abstract int Read(long position, Span<byte> destination);

    /// <summary>
    /// Whether a byte-order mark at the start is a mark, skipped as a reader of the file would (a file, a <c>text/dns</c>
    /// body), or a character of the text (a JSON string's U+FEFF).
    /// </summary>
    protected virtual bool StartsWithMark => true;

    /// <summary>The text of the bytes from <paramref name="start"/> to <paramref name="end"/>.</summary>
    /// <remarks>
    /// The reader's buffers (bytes, and as many characters) are no larger than the text, and at most <see cref="ReadSize"/>:
    /// a request's small zone read through 64 KB ones allocated 301 KB per diagnosis instead of 108 KB (bench/DiagnosisCost zone).
    /// </remarks>
    public virtual TextReader Open(long start, long end) =>
        new StreamReader(new RangeStream(this, start, end), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            detectEncodingFromByteOrderMarks: start == 0 && StartsWithMark, bufferSize: (int)Math.Clamp(end - start, 128, ReadSize));

    /// <summary>The bytes a reader asks for at a time: a copy from memory is cheap in small pieces; a file's read is a system call.</summary>
    protected virtual int ReadSize => 4096;

    /// <summary>The newline bytes before <paramref name="end"/>: the number of the line a part read from there starts on, less one.</summary>
    public virtual int CountNewlines(long end)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            var count = 0;
            for (long position = 0; position < end;)
            {
                var read = Read(position, buffer.AsSpan(0, (int)Math.Min(buffer.Length, end - position)));
                if (read == 0)
                {
                    break;
                }

                count += buffer.AsSpan(0, read).Count((byte)'\n');
                position += read;
            }

            return count;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// A file's bytes, read where asked without moving a shared position (so both parts read at once); null when the file
    /// is smaller than <see cref="MasterFileParser.TwoPartsFrom"/>, read in one part anyway — devices report no length,
    /// and are read as a stream.
    /// </summary>
    /// <param name="file">The open file, which the bytes own (and close) when they are returned.</param>
    public static FileZoneBytes? OfLargeFile(SafeFileHandle file) =>
        LengthOf(file) >= MasterFileParser.TwoPartsFrom ? new FileZoneBytes(file) : null;

    /// <summary>The length of an open file; null for one that has none and cannot be read at a place (a pipe, a socket).</summary>
    public static long? LengthOf(SafeFileHandle file)
    {
        try
        {
            return RandomAccess.GetLength(file);
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Bytes of a text in memory (tests; zone text a caller already holds as bytes).</summary>
    public static ZoneBytes Of(byte[] bytes) => new InMemory(bytes);

    private sealed class InMemory(byte[] bytes) : ZoneBytes
    {
        public override long Length => bytes.Length;

        public override int Read(long position, Span<byte> destination)
        {
            var available = bytes.AsSpan((int)Math.Min(position, bytes.Length));
            var count = Math.Min(available.Length, destination.Length);
            available[..count].CopyTo(destination);
            return count;
        }
    }

    /// <summary>One part of the bytes, as a stream that goes forward.</summary>
    private sealed class RangeStream : Stream
    {
        private readonly ZoneBytes _bytes;
        private readonly long _start;
        private readonly long _end;
        private long _position;

        public RangeStream(ZoneBytes bytes, long start, long end)
        {
            _bytes = bytes;
            _start = start;
            _end = end;
            _position = start;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _end - _start;

        public override long Position
        {
            get => _position - _start;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = _bytes.Read(_position, buffer[..(int)Math.Min(buffer.Length, _end - _position)]);
            _position += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>A zone file's bytes; the file stays open until this is disposed.</summary>
public sealed class FileZoneBytes(SafeFileHandle file) : ZoneBytes, IDisposable
{
    public override long Length { get; } = RandomAccess.GetLength(file);

    public override int Read(long position, Span<byte> destination) => RandomAccess.Read(file, destination, position);

    protected override int ReadSize => 64 * 1024;

    public void Dispose() => file.Dispose();
}
