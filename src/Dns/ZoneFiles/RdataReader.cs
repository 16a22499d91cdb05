using System.Globalization;
using System.Text;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>Reads the fields of one record's data from its tokens, with messages that name the field.</summary>
internal sealed class RdataReader
{
    private readonly List<Token> _tokens;
    private readonly NameInterner? _names;
    private char[] _text;
    private SourceLocation _end;
    private int _index;

    /// <param name="names">Where the names of the data are made once per text (a zone being read); null makes each anew.</param>
    public RdataReader(char[] text, List<Token> tokens, int first, DnsName? origin, SourceLocation end, NameInterner? names = null)
    {
        _names = names;
        _text = text;
        _tokens = tokens;
        _index = first;
        Origin = origin;
        _end = end;
    }

    public DnsName? Origin { get; private set; }

    /// <summary>
    /// Reads the next record's data, from the same token list: a zone's reader is made once, not once per record
    /// (a million records made a million readers, a third of what reading a large zone allocated).
    /// </summary>
    public void Reset(char[] text, int first, DnsName? origin, SourceLocation end)
    {
        _text = text;
        _index = first;
        Origin = origin;
        _end = end;
    }

    public bool AtEnd => _index >= _tokens.Count;

    /// <summary>The index of the next token: a check that reads fields can rewind to keep the tokens as written.</summary>
    public int Position
    {
        get => _index;
        set => _index = value;
    }

    public int Remaining => _tokens.Count - _index;

    /// <summary>The next token, not read yet; at the end of the data that is a syntax error (the record is short).</summary>
    public Token Peek() => AtEnd ? throw new ZoneSyntaxException(_end, "the record ends before all its fields") : _tokens[_index];

    public ReadOnlySpan<char> PeekText() => Text(Peek());

    /// <summary>The token read last (for an error about a value only judged after reading it).</summary>
    public Token LastToken => _tokens[Math.Max(0, _index - 1)];

    public SourceLocation Location => AtEnd ? _end : new SourceLocation(_tokens[_index].Line, _tokens[_index].Column);

    public Token NextToken(string what)
    {
        if (AtEnd)
        {
            throw new ZoneSyntaxException(_end, $"the record ends before its {what}");
        }

        return _tokens[_index++];
    }

    public ReadOnlySpan<char> Text(Token token) => _text.AsSpan(token.Start, token.Length);

    public ReadOnlySpan<char> Next(string what)
    {
        var token = NextToken(what);
        return _text.AsSpan(token.Start, token.Length);
    }

    public static SourceLocation At(Token token) => new(token.Line, token.Column);

    public ZoneSyntaxException Error(Token token, string message) => new(At(token), message);

    public ulong Number(string what, ulong max)
    {
        var token = NextToken(what);
        var text = _text.AsSpan(token.Start, token.Length);
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(token, $"{what} '{text}' is not a number");
        }

        if (value > max)
        {
            throw Error(token, $"{what} {value} is out of range (at most {max})");
        }

        return value;
    }

    public byte U8(string what) => (byte)Number(what, byte.MaxValue);

    public ushort U16(string what) => (ushort)Number(what, ushort.MaxValue);

    public uint U32(string what) => (uint)Number(what, uint.MaxValue);

    /// <summary>A 32-bit time value that may use BIND's TTL units (SOA timers).</summary>
    public uint Duration(string what)
    {
        var token = NextToken(what);
        var text = _text.AsSpan(token.Start, token.Length);
        if (!TtlText.TryParse(text, out var seconds, out _))
        {
            throw Error(token, $"{what} '{text}' is not a number of seconds (units such as 1h or 2w are allowed)");
        }

        return seconds;
    }

    public DnsName Name(string what)
    {
        var token = NextToken(what);
        return ParseName(_text.AsSpan(token.Start, token.Length), token, what);
    }

    /// <summary>Checks a name as <see cref="Name"/> reads it, without making it (for records that are not kept).</summary>
    public void CheckName(string what)
    {
        var token = NextToken(what);
        var text = _text.AsSpan(token.Start, token.Length);
        if (text.Length == 1 && text[0] == '@')
        {
            _ = Origin ?? throw Error(token, $"'@' in the {what} needs an origin (add $ORIGIN or give the origin)");
            return;
        }

        Span<char> canonical = stackalloc char[DnsName.MaxTextLength + 1];
        if (!DnsName.TryWriteCanonical(text, Origin, canonical, out _, out _, out var error))
        {
            throw Error(token, $"{what} '{text}': {error}");
        }
    }

    public DnsName ParseName(ReadOnlySpan<char> text, Token token, string what)
    {
        if (text.Length == 1 && text[0] == '@')
        {
            return Origin ?? throw Error(token, $"'@' in the {what} needs an origin (add $ORIGIN or give the origin)");
        }

        DnsName name;
        string? error;
        if (!(_names is { } names ? names.TryParse(text, Origin, out name, out error) : DnsName.TryParse(text, Origin, out name, out error)))
        {
            throw Error(token, $"{what} '{text}': {error}");
        }

        return name;
    }

    /// <summary>One character-string (RFC 1035 §5.1), quoted or not, as octets.</summary>
    public string CharacterString(string what, int maxOctets = 255)
    {
        var token = NextToken(what);
        var octets = DecodeOctets(_text.AsSpan(token.Start, token.Length), token);
        if (octets.Length > maxOctets)
        {
            throw Error(token, $"{what} is {octets.Length} octets long; a character-string holds at most {maxOctets}");
        }

        return octets;
    }

    /// <summary>Checks a character-string as <see cref="CharacterString"/> reads it; plain ASCII text is checked without copying it.</summary>
    public void CheckCharacterString(string what, int maxOctets = 255)
    {
        if (AtEnd)
        {
            CharacterString(what, maxOctets);
            return;
        }

        var token = _tokens[_index];
        var text = _text.AsSpan(token.Start, token.Length);
        if (text.IndexOf('\\') < 0 && Ascii.IsValid(text))
        {
            _index++;
            if (text.Length > maxOctets)
            {
                throw Error(token, $"{what} is {text.Length} octets long; a character-string holds at most {maxOctets}");
            }

            return;
        }

        CharacterString(what, maxOctets);
    }

    /// <summary>Decodes <c>\X</c> and <c>\DDD</c> escapes; other non-ASCII characters become their UTF-8 octets.</summary>
    public string DecodeOctets(ReadOnlySpan<char> text, Token token)
    {
        if (text.IndexOf('\\') < 0 && Ascii.IsValid(text))
        {
            return text.ToString();
        }

        // A backslash that ends the token escapes nothing (it stood before a line end): BIND refuses it.
        if (EndsWithLoneBackslash(text))
        {
            throw Error(token, "a backslash at the end escapes nothing");
        }

        var body = text;
        Span<byte> octets = body.Length <= 256 ? stackalloc byte[body.Length * 3] : new byte[body.Length * 3];
        var count = LabelScanner.Decode(body, octets, out var error);
        if (count < 0)
        {
            throw Error(token, error ?? "the text does not decode");
        }

        return Encoding.Latin1.GetString(octets[..count]);
    }

    private static bool EndsWithLoneBackslash(ReadOnlySpan<char> text)
    {
        // In a run of backslashes each pair is one escaped backslash, so an odd run ends with an unpaired one.
        var backslashes = text.Length - text.TrimEnd('\\').Length;
        return backslashes % 2 == 1;
    }

    /// <summary>The remaining tokens joined, as hexadecimal octets (white space may split them).</summary>
    public byte[] HexRest(string what, bool allowDash = false)
    {
        if (AtEnd)
        {
            throw new ZoneSyntaxException(_end, $"the record ends before its {what}");
        }

        var first = Peek();
        var joined = JoinRest();
        if (allowDash && joined == "-")
        {
            return [];
        }

        return DecodeHex(joined, first, what);
    }

    public byte[] DecodeHex(string hex, Token token, string what)
    {
        if (hex.Length % 2 != 0)
        {
            throw Error(token, $"{what} has an odd number of hexadecimal digits");
        }

        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw Error(token, $"{what} is not hexadecimal");
        }
    }

    /// <summary>The remaining tokens joined, as base64 (RFC 4648 §4).</summary>
    public byte[] Base64Rest(string what)
    {
        if (AtEnd)
        {
            throw new ZoneSyntaxException(_end, $"the record ends before its {what}");
        }

        var first = Peek();
        var joined = JoinRest();
        try
        {
            return Convert.FromBase64String(joined);
        }
        catch (FormatException)
        {
            throw Error(first, $"{what} is not valid base64");
        }
    }

    /// <summary>The remaining tokens as a list of record types (NSEC/NSEC3 type bit maps).</summary>
    public IReadOnlyList<RecordType> TypesRest(bool atLeastOne = false)
    {
        if (atLeastOne && AtEnd)
        {
            throw new ZoneSyntaxException(_end, "the record ends before its list of types");
        }

        var types = new SortedSet<ushort>();
        while (!AtEnd)
        {
            var token = NextToken("type");
            var text = _text.AsSpan(token.Start, token.Length);
            if (!RecordType.TryParse(text, out var type))
            {
                throw Error(token, $"'{text}' is not a record type");
            }

            types.Add(type.Value);
        }

        return types.Select(value => new RecordType(value)).ToArray();
    }

    /// <summary>An RRSIG time: YYYYMMDDHHmmSS in UTC, or seconds since the epoch (RFC 4034 §3.2).</summary>
    public uint Time(string what)
    {
        var token = NextToken(what);
        var text = _text.AsSpan(token.Start, token.Length);
        if (text.Length == 14 && DateTime.TryParseExact(text, "yyyyMMddHHmmss", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            return (uint)(new DateTimeOffset(time, TimeSpan.Zero).ToUnixTimeSeconds() & 0xFFFFFFFF);
        }

        if (text.Length < 14 && uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds;
        }

        throw Error(token, $"{what} '{text}' is neither YYYYMMDDHHmmSS nor a number of seconds");
    }

    /// <summary>A DNSSEC algorithm number or its mnemonic (RFC 4034 Appendix A.1).</summary>
    public byte Algorithm(string what)
    {
        var token = NextToken(what);
        var text = _text.AsSpan(token.Start, token.Length);
        if (byte.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        return text.ToString().ToUpperInvariant() switch
        {
            "RSAMD5" => 1,
            "DH" => 2,
            "DSA" => 3,
            "RSASHA1" => 5,
            "DSA-NSEC3-SHA1" or "NSEC3DSA" => 6,
            "RSASHA1-NSEC3-SHA1" or "NSEC3RSASHA1" => 7,
            "RSASHA256" => 8,
            "RSASHA512" => 10,
            "ECC-GOST" => 12,
            "ECDSAP256SHA256" => 13,
            "ECDSAP384SHA384" => 14,
            "ED25519" => 15,
            "ED448" => 16,
            "INDIRECT" => 252,
            "PRIVATEDNS" => 253,
            "PRIVATEOID" => 254,
            _ => throw Error(token, $"{what} '{text}' is not a DNSSEC algorithm"),
        };
    }

    public string JoinRest()
    {
        if (Remaining == 1)
        {
            var only = _tokens[_index++];
            return new string(_text, only.Start, only.Length);
        }

        var builder = new StringBuilder();
        while (!AtEnd)
        {
            var token = _tokens[_index++];
            builder.Append(_text, token.Start, token.Length);
        }

        return builder.ToString();
    }

    /// <summary>The remaining tokens as written, for types kept unparsed.</summary>
    public string RestAsWritten()
    {
        var parts = new List<string>();
        while (!AtEnd)
        {
            var token = _tokens[_index++];
            var text = new string(_text, token.Start, token.Length);
            parts.Add(token.Quoted ? "\"" + text + "\"" : text);
        }

        return string.Join(' ', parts);
    }

    public void End()
    {
        if (!AtEnd)
        {
            var token = _tokens[_index];
            throw Error(token, $"unexpected '{_text.AsSpan(token.Start, token.Length)}' after the end of the record's data");
        }
    }
}
