using System.Globalization;

namespace RulesApi.Cli;

/// <summary>
/// A progress line on standard error while a large zone file is read — only when standard error is a
/// terminal, so pipes and CI logs stay clean. The file may be read twice (an audit that must keep every
/// record reads it again); each pass shows its own percentage.
/// </summary>
public sealed class AuditProgress
{
    /// <summary>Files below this are read too fast for a progress line to help.</summary>
    public const long MinimumBytes = 8 * 1024 * 1024;

    private readonly long _length;
    private readonly TextWriter _error;
    private readonly string _name;

    private AuditProgress(string name, long length, TextWriter error)
    {
        _name = name;
        _length = length;
        _error = error;
    }

    /// <summary>A progress reporter for the file, or null when none should be shown.</summary>
    public static AuditProgress? ForFile(string file, TextWriter error) =>
        !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error) && new FileInfo(file).Length is var length and >= MinimumBytes
            ? new AuditProgress(Path.GetFileName(file), length, error)
            : null;

    public Stream Wrap(Stream stream) => new CountingStream(stream, this);

    private void Report(long position, bool done)
    {
        var percent = _length == 0 ? 100 : (int)(position * 100 / _length);
        _error.Write(string.Create(CultureInfo.InvariantCulture, $"\rreading {_name}: {percent,3}% of {_length / (1024 * 1024)} MiB"));
        if (done)
        {
            _error.Write("\r\u001b[2K");
        }
    }

    private sealed class CountingStream(Stream inner, AuditProgress progress) : Stream
    {
        private long _position;
        private int _lastPercent = -1;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            _position += read;
            var percent = progress._length == 0 ? 100 : (int)(_position * 100 / progress._length);
            if (percent != _lastPercent || read == 0)
            {
                _lastPercent = percent;
                progress.Report(_position, read == 0);
            }

            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
