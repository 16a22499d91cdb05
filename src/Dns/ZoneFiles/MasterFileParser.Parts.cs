using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>A large zone read in two parts at once, one on each core, with the same result as reading it whole.</summary>
public static partial class MasterFileParser
{
    /// <summary>
    /// Zones smaller than this are read in one part: reading 1 MB takes ~15 ms, and a part needs a thread of the pool
    /// and the newlines before it counted.
    /// </summary>
    public const long TwoPartsFrom = 1 << 20;

    /// <summary>
    /// Entries the earlier part reads before the later one starts with what it knows by then ($ORIGIN, $TTL, the zone's
    /// class, the SOA): a zone's directives stand at its top. Should one come later, the guess is wrong, and the later
    /// part is read again once the earlier one is done (as slow as one part, never a different answer).
    /// </summary>
    private const int GuessAfterEntries = 64;

    /// <summary>
    /// Reads zone text given as bytes: a large zone (from <see cref="TwoPartsFrom"/>, on a machine with two cores or more)
    /// in two parts at once, split at the start of a line near its middle. The result is the one reading it whole gives.
    /// </summary>
    public static ParsedZone Parse(ZoneBytes bytes, ZoneParserOptions? options = null)
    {
        options ??= new ZoneParserOptions();
        var split = bytes.Length >= TwoPartsFrom && Environment.ProcessorCount > 1 ? SplitPoint(bytes, bytes.Length / 2) : -1;
        return Parse(bytes, options, split, GuessAfterEntries);
    }

    /// <summary>
    /// For tests: splits at a given place (the start of a line; -1: reads whole), the guess made after a given number of
    /// entries; <paramref name="waitForGuess"/> waits for the later part to start before the earlier one ends (a small zone's
    /// earlier part is otherwise read before a thread of the pool takes the later one, and the guess is never used).
    /// </summary>
    internal static ParsedZone Parse(ZoneBytes bytes, ZoneParserOptions options, long split, int guessAfter, int blockSize = MasterFileTokenizer.DefaultBlockSize,
        bool waitForGuess = false)
    {
        if (split <= 0 || split >= bytes.Length)
        {
            return ReadWhole(bytes, options, blockSize);
        }

        using var stopLater = CancellationTokenSource.CreateLinkedTokenSource(options.Cancellation);
        var laterOptions = options with { Cancellation = stopLater.Token };
        var laterPart = new LaterPart();
        ReadState? guess = null;
        using var earlierText = bytes.Open(0, split);
        using var tokenizer = new MasterFileTokenizer(earlierText, blockSize);
        var earlier = new Run(tokenizer, options)
        {
            GuessAfter = guessAfter,
            OnGuess = state =>
            {
                // Its errors are counted from none: the earlier part's are added when the two are joined. The owner of the
                // entry read then is not the one at the split: a blank owner read before one is given has the later part read again.
                guess = state with { Errors = 0, Owner = null };
                laterPart.Start(() => ReadLater(bytes, split, laterOptions, guess.Value, blockSize));
            },
        };

        Later? later = null;
        try
        {
            earlier.Read();
            var state = earlier.State;
            if (waitForGuess)
            {
                laterPart.WaitUntilStarted();
            }

            if (earlier.Stopped || earlier.EndedInsideParentheses)
            {
                // An entry open at the split: the split was not between entries, and what the earlier part read of it (its
                // "never closed" error too, which may have stopped it) is not what reading on would have. Else stopped: nothing
                // after was read.
                laterPart.Drop(stopLater);
                return earlier.EndedInsideParentheses ? ReadWhole(bytes, options, blockSize) : earlier.Result();
            }

            if (guess is { } guessed && SameStart(guessed, state) && laterPart.Claim() is { } reading)
            {
                // Taken while running: it reads the part, so it gives one (or throws).
                later = reading.GetAwaiter().GetResult()!;
                if ((later.Run.Errors > 0 && state.Errors + later.Run.Errors >= options.MaxErrors) || (later.Run.NeededEarlierOwner && state.Owner is not null))
                {
                    // The two parts' errors together reach the limit: where reading stops is found by reading on from here. Or a
                    // line that continues the previous owner came before the later part had one (the split line's owner was not
                    // read: a bad name, a stray ')'): it continues the earlier part's.
                    later.Release();
                    later = null;
                }
            }
            else
            {
                laterPart.Drop(stopLater);
            }

            var readAs = later is null ? ZoneReading.TwoPartsOneAfterTheOther : ZoneReading.TwoPartsAtOnce;
            later ??= ReadLater(bytes, split, options, state, blockSize, tokenizer.Line);
            var result = earlier.Result(later.Run);
            result.ReadAs = readAs;
            return result;
        }
        catch
        {
            laterPart.Drop(stopLater);
            throw;
        }
        finally
        {
            later?.Release();
            earlier.Release();
        }
    }

    /// <summary>
    /// The later part, read on the thread pool. The earlier part waits for it only once it has begun: a busy pool may
    /// start it late, and the thread of the earlier part then reads it itself rather than wait for a thread.
    /// </summary>
    private sealed class LaterPart
    {
        // NotStarted → Running (the pool thread began it) → Taken (the earlier part waits for it and owns its result);
        // NotStarted → Claimed (the earlier part came first: the pool thread will not read it).
        private const int NotStarted = 0, Running = 1, Claimed = 2, Taken = 3;
        private int _state;
        private Task<Later?>? _reading;

        public void Start(Func<Later> read) =>
            _reading = Task.Run(() => Interlocked.CompareExchange(ref _state, Running, NotStarted) == NotStarted ? read() : null);

        /// <summary>For tests: waits until a thread of the pool has taken the part up (when it was started).</summary>
        public void WaitUntilStarted()
        {
            if (_reading is not null)
            {
                SpinWait.SpinUntil(() => Volatile.Read(ref _state) != NotStarted);
            }
        }

        /// <summary>The part being read, to wait for; null when it had not started (it will not now).</summary>
        public Task<Later?>? Claim()
        {
            if (_reading is null || Interlocked.CompareExchange(ref _state, Claimed, NotStarted) == NotStarted)
            {
                return null;
            }

            return Interlocked.CompareExchange(ref _state, Taken, Running) == Running ? _reading : null;
        }

        /// <summary>Not wanted: stopped by its token if it runs, its buffers given back, and any failure observed.</summary>
        public void Drop(CancellationTokenSource stop)
        {
            if (_reading is null || Interlocked.CompareExchange(ref _state, Claimed, NotStarted) == NotStarted
                || Interlocked.CompareExchange(ref _state, Claimed, Running) != Running)
            {
                return;
            }

            stop.Cancel();
            // Waited for, so that nothing of it runs once the parse has returned (its token's source is disposed then).
            try
            {
                _reading.GetAwaiter().GetResult()?.Release();
            }
#pragma warning disable CA1031 // A part no longer wanted: how it ended does not matter, only that it did.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    /// <summary>What reading has settled by a place in the text, which the entries after it depend on.</summary>
    /// <param name="Owner">The owner a line starting with white space continues (the last one read), not compared by <see cref="SameStart"/>.</param>
    private readonly record struct ReadState(DnsName? Origin, DnsName? ZoneOrigin, uint? DollarTtl, uint? LastExplicitTtl, bool WarnedRfc1035Ttl,
        RecordClass? ZoneClass, int Errors, DnsName? Owner);

    /// <summary>
    /// True when the later part, started with <paramref name="guess"/>, read what it would have read after the earlier
    /// part: names are compared as written (an origin of other case gives names of other case), errors apart.
    /// </summary>
    private static bool SameStart(ReadState guess, ReadState actual) =>
        string.Equals(guess.Origin?.Text, actual.Origin?.Text, StringComparison.Ordinal)
        && string.Equals(guess.ZoneOrigin?.Text, actual.ZoneOrigin?.Text, StringComparison.Ordinal)
        && guess.DollarTtl == actual.DollarTtl
        // Without $TTL, a record with no TTL takes the one before it: only then does the last one matter.
        && (actual.DollarTtl is not null || guess.LastExplicitTtl == actual.LastExplicitTtl)
        && guess.WarnedRfc1035Ttl == actual.WarnedRfc1035Ttl
        && guess.ZoneClass == actual.ZoneClass;

    /// <summary>The later part, read: its run and what it holds until its result is taken.</summary>
    private sealed class Later(Run run, MasterFileTokenizer tokenizer, TextReader text)
    {
        public Run Run => run;

        public void Release()
        {
            run.Release();
            tokenizer.Dispose();
            text.Dispose();
        }
    }

    /// <param name="firstLine">The number of the line at <paramref name="split"/>; null: counted (the earlier part is still being read).</param>
    private static Later ReadLater(ZoneBytes bytes, long split, ZoneParserOptions options, ReadState from, int blockSize, int? firstLine = null)
    {
        firstLine ??= bytes.CountNewlines(split) + 1;
        var text = bytes.Open(split, bytes.Length);
        var tokenizer = new MasterFileTokenizer(text, blockSize, firstLine.Value);
        var run = new Run(tokenizer, options, from);
        var later = new Later(run, tokenizer, text);
        try
        {
            run.Read();
            return later;
        }
        catch
        {
            later.Release();
            throw;
        }
    }

    private static ParsedZone ReadWhole(ZoneBytes bytes, ZoneParserOptions options, int blockSize)
    {
        using var whole = bytes.Open(0, bytes.Length);
        return Parse(whole, options, blockSize);
    }

    /// <summary>
    /// Where the later part starts: the first line after <paramref name="near"/> whose first character can start an
    /// owner name (not white space, a comment, a directive or a parenthesis), or -1 when none is near. Whether that line
    /// really starts an entry, and not the inside of parentheses, is known only once the earlier part is read (which
    /// reads the text whole when it was not). Text in UTF-16 or UTF-32 (a byte-order mark says so) is read in one part.
    /// </summary>
    private static long SplitPoint(ZoneBytes bytes, long near)
    {
        Span<byte> start = stackalloc byte[4];
        var read = bytes.Read(0, start);
        if (read >= 2 && ((start[0] == 0xFF && start[1] == 0xFE) || (start[0] == 0xFE && start[1] == 0xFF) || (read == 4 && start[..4].SequenceEqual((ReadOnlySpan<byte>)[0, 0, 0xFE, 0xFF]))))
        {
            return -1;
        }

        var window = new byte[64 * 1024];
        var count = bytes.Read(near, window);
        for (var i = 0; i + 1 < count; i++)
        {
            if (window[i] == (byte)'\n' && CanStartPart(window[i + 1]))
            {
                return near + i + 1;
            }
        }

        return -1;
    }

    /// <summary>
    /// True when a line starting with this byte can start the later part: an owner name, not a line that continues the
    /// previous owner (white space), a comment, a directive, a parenthesis, a quote or binary data.
    /// </summary>
    internal static bool CanStartPart(byte first) =>
        first is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)';' or (byte)'$' or (byte)'(' or (byte)')' or (byte)'"' or 0);
}
