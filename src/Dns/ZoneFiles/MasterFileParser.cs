using System.Globalization;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>
/// Reads zone text in master-file format (RFC 1035 §5, RFC 2308 §4 <c>$TTL</c>, RFC 3597) with the
/// conventions of BIND's <c>named-checkzone</c>: TTL units, TTL defaults, and the same verdicts on the
/// same mistakes. It never throws on bad input: every problem becomes a <see cref="ZoneDiagnostic"/>
/// with a line and column, and reading resumes at the next entry.
/// </summary>
public static partial class MasterFileParser
{
    /// <summary>
    /// Reads text already in memory with a block no larger than the text: one DS record or a record from a
    /// DNS answer (parsed through here) costs a few bytes of buffer, not the 2 MB block of a large file.
    /// </summary>
    public static ParsedZone Parse(string text, ZoneParserOptions? options = null) =>
        Parse(new StringReader(text), options ?? new ZoneParserOptions(), Math.Clamp(text.Length + 1, 16, MasterFileTokenizer.DefaultBlockSize));

    /// <summary>Reads zone text from a reader a block at a time: a large file is never held in memory whole.</summary>
    public static ParsedZone Parse(TextReader reader, ZoneParserOptions? options = null) =>
        Parse(reader, options ?? new ZoneParserOptions(), MasterFileTokenizer.DefaultBlockSize);

    /// <summary>For tests: tiny blocks put block boundaries everywhere.</summary>
    internal static ParsedZone Parse(TextReader reader, ZoneParserOptions options, int blockSize)
    {
        using var tokenizer = new MasterFileTokenizer(reader, blockSize);
        var run = new Run(tokenizer, options);
        try
        {
            run.Read();
            return run.Result();
        }
        finally
        {
            run.Release();
        }
    }

    /// <summary>The longest line read; a longer one stops reading (see <see cref="MasterFileTokenizer.MaxLineLength"/>).</summary>
    public const int MaxLineLength = MasterFileTokenizer.MaxLineLength;

    private sealed class Run
    {
        private readonly MasterFileTokenizer _tokenizer;
        private readonly ZoneParserOptions _options;
        private char[] _text = [];
        private readonly KeptRecords _records;
        private readonly List<ZoneDiagnostic> _diagnostics = [];
        private readonly List<Token> _tokens = [];
        private readonly NameFingerprints _others;
        private readonly NameInterner _names = new();
        private RdataReader? _reader;
        private int _recordCount;
        private int _errors;

        private DnsName? _origin;
        private DnsName? _zoneOrigin;
        // The owner of the entry being read (null before the first). Consecutive records usually repeat their
        // owner's text: the last one parsed is kept (_parsed) and reused; '@' has its own (_atOrigin).
        private OwnerText? _owner;
        private OwnerText _parsed = new();
        private OwnerText _scratch = new();
        private readonly OwnerText _atOrigin = new();
        private uint? _dollarTtl;
        private uint? _lastExplicitTtl;
        private bool _warnedRfc1035Ttl;
        private RecordClass? _zoneClass;

        /// <param name="from">Where reading stood at the start of the text, when it is the later part of a longer one.</param>
        public Run(MasterFileTokenizer tokenizer, ZoneParserOptions options, ReadState? from = null)
        {
            _tokenizer = tokenizer;
            _options = options;
            // A parse that keeps only some types is a zone audit's, of a zone of any size: a large one holds name records compactly.
            _records = new KeptRecords(options.Keep is null ? int.MaxValue : options.CompactAbove);
            _origin = options.Origin;
            _zoneOrigin = options.Origin;
            _others = new NameFingerprints(large: from is not null);
            if (from is { } state)
            {
                (_origin, _zoneOrigin, _dollarTtl, _lastExplicitTtl, _warnedRfc1035Ttl, _zoneClass, _errors, var owner) = state;
                if (owner is not null)
                {
                    _parsed.Set(owner);
                    _owner = _parsed;
                }
            }
        }

        /// <summary>What the entries read next depend on of those read so far.</summary>
        public ReadState State => new(_origin, _zoneOrigin, _dollarTtl, _lastExplicitTtl, _warnedRfc1035Ttl, _zoneClass, _errors, _owner?.Name);

        /// <summary>
        /// True when a line continued the previous owner before any was read or given: read as the later part of a text,
        /// it continues the earlier part's last owner (the line at the split had an owner that was not read).
        /// </summary>
        public bool NeededEarlierOwner { get; private set; }

        /// <summary>Called once, with <see cref="State"/>, after <see cref="GuessAfter"/> entries (the later part's guess of how it starts).</summary>
        public Action<ReadState>? OnGuess { get; init; }

        public int GuessAfter { get; init; }

        /// <summary>True when reading stopped before the end of the text: too many errors, binary data, an overlong line.</summary>
        public bool Stopped { get; private set; }

        public bool EndedInsideParentheses => _tokenizer.EndedInsideParentheses;

        /// <summary>The errors counted, which the stop after <see cref="ZoneParserOptions.MaxErrors"/> counts.</summary>
        public int Errors => _errors;

        /// <summary>The name buffers go back to the pool: nothing read keeps them.</summary>
        public void Release()
        {
            _parsed.Release();
            _scratch.Release();
            _atOrigin.Release();
            _names.Release();
        }

        /// <summary>Reads the text to its end, or to where too many errors stop it.</summary>
        public void Read()
        {
            var tokenizer = _tokenizer;
            var entries = 0;
            while (tokenizer.NextEntry(_tokens, out var blankOwner, out var problem, out var end))
            {
                if (entries == GuessAfter && OnGuess is { } guess)
                {
                    guess(State);
                }

                if ((++entries & 4095) == 0)
                {
                    _options.Cancellation.ThrowIfCancellationRequested();
                    if (_options.Expired?.Invoke() == true)
                    {
                        throw new OperationCanceledException("the zone could not be read before the deadline");
                    }
                }

                _text = tokenizer.Text;
                if (problem is { } p)
                {
                    AddError(p.Location, p.Message);
                }
                else
                {
                    try
                    {
                        var first = _tokens[0];
                        if (!blankOwner && !first.Quoted && _text[first.Start] == '$')
                        {
                            Directive(end);
                        }
                        else
                        {
                            Record(blankOwner, end);
                        }
                    }
                    catch (ZoneSyntaxException error)
                    {
                        AddError(error.Location, error.Message);
                    }
                }

                if (_errors >= _options.MaxErrors)
                {
                    _diagnostics.Add(new ZoneDiagnostic(DiagnosticKind.Stopped, DiagnosticSeverity.Error, new SourceLocation(tokenizer.Line, 1),
                        $"stopped reading after {_errors} errors; fix these and check again"));
                    Stopped = true;
                    break;
                }
            }

            Stopped |= tokenizer.BinaryAt is not null || tokenizer.OverlongLineAt is not null;
            if (tokenizer.BinaryAt is { } binary)
            {
                _diagnostics.Add(new ZoneDiagnostic(DiagnosticKind.Stopped, DiagnosticSeverity.Error, binary,
                    "this is binary data, not zone text (it contains a NUL character); reading stopped here"));
            }

            if (tokenizer.OverlongLineAt is { } overlong)
            {
                _diagnostics.Add(new ZoneDiagnostic(DiagnosticKind.Stopped, DiagnosticSeverity.Error, overlong,
                    string.Create(CultureInfo.InvariantCulture,
                        $"this line is longer than {MaxLineLength} characters, which no zone file has; reading stopped here")));
            }
        }

        /// <summary>What was read, with what <paramref name="later"/> read of the text after this one's, when it was read in two parts.</summary>
        public ParsedZone Result(Run? later = null)
        {
            var zoneOrigin = _zoneOrigin;
            var lines = _tokenizer.Line;
            var records = _recordCount;
            if (later is not null)
            {
                _records.Append(later._records, later._zoneOrigin);
                _diagnostics.AddRange(later._diagnostics);
                _others.Absorb(later._others);
                zoneOrigin = later._zoneOrigin;
                lines = later._tokenizer.Line;
                records += later._recordCount;
            }

            _others.Complete();
            return new ParsedZone(zoneOrigin, _records, _diagnostics, lines, _others, records);
        }

        private void Directive(SourceLocation end)
        {
            var reader = new RdataReader(_text, _tokens, 1, _origin, end);
            var keyword = _text.AsSpan(_tokens[0].Start, _tokens[0].Length);
            var at = RdataReader.At(_tokens[0]);
            if (keyword.Equals("$ORIGIN", StringComparison.OrdinalIgnoreCase))
            {
                var token = reader.NextToken("origin name");
                var text = reader.Text(token);
                if (!DnsName.TryParse(text, _origin, out var origin, out var error))
                {
                    throw reader.Error(token, $"$ORIGIN '{text}': {error}");
                }

                reader.End();
                _origin = origin;
                _zoneOrigin ??= origin;
            }
            else if (keyword.Equals("$TTL", StringComparison.OrdinalIgnoreCase))
            {
                var token = reader.NextToken("TTL");
                if (!TtlText.TryParse(reader.Text(token), out var ttl, out var error))
                {
                    throw reader.Error(token, error!);
                }

                reader.End();
                _dollarTtl = ClampTtl(ttl, RdataReader.At(token));
            }
            else if (keyword.Equals("$INCLUDE", StringComparison.OrdinalIgnoreCase))
            {
                // Zone text comes from callers of the service: following a path in it would let a caller
                // read the server's files. The directive is reported and nothing is opened.
                var file = reader.AtEnd ? "" : " '" + reader.Text(reader.Peek()).ToString() + "'";
                _diagnostics.Add(new ZoneDiagnostic(DiagnosticKind.IncludeRefused, DiagnosticSeverity.Error, at,
                    $"$INCLUDE{file} was not followed: zone text given to RulesApi cannot include other files, so the records in that file were not checked; paste them into the zone text instead"));
                _errors++;
            }
            else if (keyword.Equals("$GENERATE", StringComparison.OrdinalIgnoreCase))
            {
                throw new ZoneSyntaxException(at, "$GENERATE is a BIND extension that RulesApi does not expand; the records it would make were not checked");
            }
            else
            {
                throw new ZoneSyntaxException(at, $"unknown directive '{keyword}' (known: $ORIGIN, $TTL, $INCLUDE)");
            }
        }

        private void Record(bool blankOwner, SourceLocation end)
        {
            var index = 0;
            var ownerLocation = RdataReader.At(_tokens[0]);
            if (blankOwner)
            {
                if (_owner is null)
                {
                    NeededEarlierOwner = true;
                    throw new ZoneSyntaxException(new SourceLocation(ownerLocation.Line, 1),
                        "this line starts with white space, so it continues the previous owner name, but there is none yet");
                }
            }
            else
            {
                _owner = ParseOwner(_tokens[0]);
                index = 1;
            }

            var owner = _owner;

            uint? ttl = null;
            RecordClass? recordClass = null;
            for (var field = 0; field < 2 && index < _tokens.Count; field++)
            {
                var token = _tokens[index];
                var text = _text.AsSpan(token.Start, token.Length);
                if (token.Quoted)
                {
                    break;
                }

                if (recordClass is null && RecordClass.TryParse(text, out var parsedClass))
                {
                    recordClass = parsedClass;
                    index++;
                }
                else if (ttl is null && char.IsAsciiDigit(text[0]))
                {
                    if (!TtlText.TryParse(text, out var parsedTtl, out var error))
                    {
                        throw new ZoneSyntaxException(RdataReader.At(token), error!);
                    }

                    ttl = ClampTtl(parsedTtl, RdataReader.At(token));
                    index++;
                }
                else
                {
                    break;
                }
            }

            if (index >= _tokens.Count)
            {
                throw new ZoneSyntaxException(end, "the record has no type (such as A, CNAME or CAA)");
            }

            var typeToken = _tokens[index];
            var typeText = _text.AsSpan(typeToken.Start, typeToken.Length);
            if (typeToken.Quoted || !RecordType.TryParse(typeText, out var type))
            {
                throw new ZoneSyntaxException(RdataReader.At(typeToken), $"unknown record type '{typeText}'");
            }

            if (type.Value == 0)
            {
                throw new ZoneSyntaxException(RdataReader.At(typeToken), "type 0 is reserved (RFC 6895 §3.1) and cannot appear in a zone file");
            }

            if (type.Value is RecordType.Codes.OPT or RecordType.Codes.TKEY or RecordType.Codes.TSIG or RecordType.Codes.IXFR or RecordType.Codes.AXFR or RecordType.Codes.ANY)
            {
                throw new ZoneSyntaxException(RdataReader.At(typeToken), $"{type} is a meta-type that cannot appear in a zone file");
            }

            _zoneClass ??= recordClass ?? RecordClass.IN;
            if (recordClass is { } given && given != _zoneClass)
            {
                throw new ZoneSyntaxException(ownerLocation, $"class {given} differs from the zone's class {_zoneClass}");
            }

            // A record of a type the caller does not keep, inside the zone, is checked just as thoroughly but
            // leaves only its owner's fingerprint and its type: no name or data objects are made for it.
            // (An SOA may name the zone itself, so whether it is kept is known only once it is read.)
            var unkept = type != RecordType.SOA && Unkept(type, owner);
            var reader = _reader ??= new RdataReader(_text, _tokens, index + 1, _origin, end, _names);
            reader.Reset(_text, index + 1, _origin, end);
            RecordData? data = null;
            if (unkept)
            {
                RdataParser.Check(type, reader);
            }
            else
            {
                data = RdataParser.Parse(type, reader);
            }

            var location = new SourceLocation(ownerLocation.Line, blankOwner ? 1 : ownerLocation.Column);
            var resolvedTtl = ResolveTtl(ttl, type, data, location);
            if (type == RecordType.SOA)
            {
                _zoneOrigin ??= owner.Name;
                unkept = Unkept(type, owner);
            }

            _recordCount++;
            // Records outside the zone, or read before the zone is known, are always kept: the integrity checks report them.
            if (unkept)
            {
                _others.Add(owner.Text, owner.LabelCount, type, _zoneOrigin);
                return;
            }

            _records.Add(new ResourceRecord(owner.Name, type, _zoneClass.Value, resolvedTtl, data!, location), _zoneOrigin);
        }

        private bool Unkept(RecordType type, OwnerText owner) =>
            _options.Keep is { } keep && !keep(type) && _zoneOrigin is { } apex && owner.IsSubdomainOf(apex);

        private OwnerText ParseOwner(Token token)
        {
            var text = _text.AsSpan(token.Start, token.Length);
            if (text.Length == 1 && text[0] == '@')
            {
                _atOrigin.Set(_origin ?? throw new ZoneSyntaxException(RdataReader.At(token),
                    "'@' stands for the origin, but there is none (add $ORIGIN or give the origin)"));
                return _atOrigin;
            }

            if (_parsed.IsFrom(text, _origin))
            {
                return _parsed;
            }

            if (token.Quoted)
            {
                throw new ZoneSyntaxException(RdataReader.At(token), "an owner name cannot be a quoted string");
            }

            if (!_scratch.TryParse(text, _origin, out var error))
            {
                throw new ZoneSyntaxException(RdataReader.At(token), $"owner name '{text}': {error}");
            }

            (_parsed, _scratch) = (_scratch, _parsed);
            return _parsed;
        }

        /// <summary>BIND's order: the record's TTL, else $TTL, else the previous record's, else the SOA minimum.</summary>
        private uint ResolveTtl(uint? explicitTtl, RecordType type, RecordData? data, SourceLocation location)
        {
            if (explicitTtl is { } ttl)
            {
                if (_dollarTtl is null)
                {
                    _lastExplicitTtl = ttl;
                }

                return ttl;
            }

            if (_dollarTtl is { } dollar)
            {
                return dollar;
            }

            if (_lastExplicitTtl is { } last)
            {
                if (!_warnedRfc1035Ttl)
                {
                    _warnedRfc1035Ttl = true;
                    _diagnostics.Add(new ZoneDiagnostic(DiagnosticKind.ImplicitTtl, DiagnosticSeverity.Warning, location,
                        string.Create(CultureInfo.InvariantCulture,
                            $"there is no $TTL, so this record takes the TTL of the record before it ({last} s), as RFC 1035 says; add '$TTL {last}' at the top to make that explicit")));
                }

                return last;
            }

            if (data is SoaData soa)
            {
                _diagnostics.Add(new ZoneDiagnostic(DiagnosticKind.ImplicitTtl, DiagnosticSeverity.Warning, location,
                    string.Create(CultureInfo.InvariantCulture,
                        $"no TTL is given and there is no $TTL, so the SOA's minimum ({soa.Minimum} s) is used, as BIND does; add a $TTL line at the top")));
                _dollarTtl = soa.Minimum;
                return soa.Minimum;
            }

            throw new ZoneSyntaxException(location,
                $"this {type} record has no TTL, and there is neither a $TTL line nor an earlier TTL to take one from (BIND rejects the zone)");
        }

        private uint ClampTtl(uint ttl, SourceLocation location)
        {
            if (ttl <= TtlText.MaxTtl)
            {
                return ttl;
            }

            _diagnostics.Add(new ZoneDiagnostic(DiagnosticKind.ImplicitTtl, DiagnosticSeverity.Warning, location,
                string.Create(CultureInfo.InvariantCulture, $"TTL {ttl} is above 2147483647; resolvers treat it as 0 (RFC 2181 §8), so 0 is used")));
            return 0;
        }

        private void AddError(SourceLocation location, string message)
        {
            _errors++;
            _diagnostics.Add(new ZoneDiagnostic(DiagnosticKind.Syntax, DiagnosticSeverity.Error, location, message));
        }

        /// <summary>
        /// An owner name as canonical text in a reused buffer, with the source text it was parsed from; the
        /// <see cref="DnsName"/> is made only when a record keeps it, and then shared by the owner's records.
        /// </summary>
        /// <remarks>
        /// The buffer, long enough for any name (2 KB), comes from the shared pool and goes back when the zone is read:
        /// three of them, and the interner's, were 8 KB of the 16 KB that reading a 22-line zone allocated.
        /// </remarks>
        private sealed class OwnerText
        {
            private char[] _text = System.Buffers.ArrayPool<char>.Shared.Rent(DnsName.MaxTextLength + 1);
            private char[] _source = new char[64];
            private int _sourceLength = -1;
            private DnsName? _sourceOrigin;
            private int _length;
            private DnsName? _name;

            public ReadOnlySpan<char> Text => _text.AsSpan(0, _length);

            public int LabelCount { get; private set; }

            public DnsName Name => _name ??= DnsName.FromCanonical(new string(_text, 0, _length), LabelCount);

            public bool IsSubdomainOf(DnsName apex) => DnsName.IsSubdomainOf(Text, LabelCount, apex);

            /// <summary>Gives the buffer back; the owner is not read again.</summary>
            public void Release()
            {
                var text = _text;
                _text = [];
                _length = 0;
                if (text.Length > 0)
                {
                    System.Buffers.ArrayPool<char>.Shared.Return(text);
                }
            }

            /// <summary>True when this is the name <paramref name="source"/> gave under <paramref name="origin"/>.</summary>
            public bool IsFrom(ReadOnlySpan<char> source, DnsName? origin) =>
                _sourceLength >= 0 && ReferenceEquals(_sourceOrigin, origin) && source.SequenceEqual(_source.AsSpan(0, _sourceLength));

            public void Set(DnsName name)
            {
                name.Text.CopyTo(_text);
                _length = name.Text.Length;
                LabelCount = name.LabelCount;
                _name = name;
                _sourceLength = -1;
            }

            public bool TryParse(ReadOnlySpan<char> source, DnsName? origin, out string? error)
            {
                _sourceLength = -1;
                if (!DnsName.TryWriteCanonical(source, origin, _text, out _length, out var labels, out error))
                {
                    return false;
                }

                LabelCount = labels;
                _name = null;
                if (_source.Length < source.Length)
                {
                    _source = new char[Math.Max(source.Length, _source.Length * 2)];
                }

                source.CopyTo(_source);
                _sourceLength = source.Length;
                _sourceOrigin = origin;
                return true;
            }
        }
    }
}
