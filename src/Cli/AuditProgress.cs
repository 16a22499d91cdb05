using System.Globalization;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Cli;

/// <summary>
/// A progress line on standard error while a large zone file is read — only when standard error is a
/// terminal, so pipes and CI logs stay clean. The file may be read twice (an audit that must keep every
/// record reads it again); each pass shows its own percentage. A large file is read in two parts at once: the
/// percentage counts the bytes both have read.
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

    public ZoneBytes Wrap(ZoneBytes bytes) => new CountingBytes(bytes, this);

    private void Report(long position, bool done)
    {
        var percent = _length == 0 ? 100 : (int)(position * 100 / _length);
        _error.Write(string.Create(CultureInfo.InvariantCulture, $"\rreading {_name}: {percent,3}% of {_length / (1024 * 1024)} MiB"));
        if (done)
        {
            _error.Write("\r\u001b[2K");
        }
    }

    /// <summary>The file's bytes, counted as they are read; a read from the start begins a new pass.</summary>
    private sealed class CountingBytes(ZoneBytes inner, AuditProgress progress) : ZoneBytes
    {
        private long _read;
        private int _lastPercent = -1;

        public override long Length => inner.Length;

        /// <summary>As the file's own: each read is a system call.</summary>
        protected override int ReadSize => 64 * 1024;

        public override TextReader Open(long start, long end)
        {
            if (start == 0)
            {
                lock (progress)
                {
                    Interlocked.Exchange(ref _read, 0);
                    _lastPercent = -1;
                }
            }

            return base.Open(start, end);
        }

        public override int Read(long position, Span<byte> destination)
        {
            var count = inner.Read(position, destination);
            var read = Interlocked.Add(ref _read, count);
            var percent = progress._length == 0 ? 100 : (int)Math.Min(100, read * 100 / progress._length);
            if (percent != Volatile.Read(ref _lastPercent))
            {
                // Two parts read at once: the line is written under a lock, the latest percentage last.
                lock (progress)
                {
                    if (percent > _lastPercent)
                    {
                        _lastPercent = percent;
                        progress.Report(read, done: percent == 100);
                    }
                }
            }

            return count;
        }

        /// <summary>Not counted: counting lines is not reading the zone.</summary>
        public override int CountNewlines(long end) => inner.CountNewlines(end);
    }
}
