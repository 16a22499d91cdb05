using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Dns.Tests;

/// <summary>Inputs users found that crashed or hung the parser (issue 11): each must end in diagnostics, never an exception.</summary>
public sealed class CrashRegressionTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.com.");

    private const string Head = "$TTL 300\n@ SOA ns1 hostmaster 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n";

    private static (ParsedZone Parsed, IReadOnlyList<ZoneProblem> Problems) Check(string text)
    {
        var parsed = MasterFileParser.Parse(text, new ZoneParserOptions { Origin = Origin });
        return (parsed, ZoneIntegrity.Check(parsed, ZoneData.Build(parsed, Origin)));
    }

    [Fact]
    public void Generic_ns_data_without_octets_is_a_syntax_error_not_a_cast_failure()
    {
        var (parsed, problems) = Check("$TTL 300\n@ SOA ns1 hostmaster 1 2 3 4 5\n@ NS \\# 0\n");

        var error = Assert.Single(parsed.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(3, error.Location.Line);
        Assert.Contains("NS data ends before its target name", error.Message, StringComparison.Ordinal);
        Assert.Contains(problems, p => p.Kind == ZoneProblemKind.MissingApexNs);
    }

    [Fact]
    public void Generic_ns_data_that_is_a_name_becomes_a_name()
    {
        var (parsed, _) = Check("$TTL 300\n@ SOA ns1 hostmaster 1 2 3 4 5\n@ NS \\# 5 036e733100\nns1 A 192.0.2.1\n");

        Assert.DoesNotContain(parsed.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var ns = Assert.Single(parsed.Records, r => r.Type == RecordType.NS);
        Assert.Equal(new NameData(DnsName.Parse("ns1.")), ns.Data);
    }

    [Fact]
    public void An_integrity_check_survives_an_ns_record_without_a_name()
    {
        // Records can come from elsewhere than the parser; the check must not assume their data.
        var parsed = MasterFileParser.Parse(Head, new ZoneParserOptions { Origin = Origin });
        var odd = new ResourceRecord(Origin, RecordType.NS, RecordClass.IN, 300, new GenericData([]));
        var withOdd = new ParsedZone(parsed.Origin, [.. parsed.Records, odd], parsed.Diagnostics, parsed.LineCount, new NameFingerprints(), parsed.Records.Count + 1);

        var problems = ZoneIntegrity.Check(withOdd, ZoneData.Build(withOdd, Origin));

        Assert.DoesNotContain(problems, p => p.Kind == ZoneProblemKind.MissingApexNs);
    }

    [Theory]
    [InlineData(@"@ TYPE55555 \#")]
    [InlineData(@"@ A \#")]
    [InlineData(@"@ TXT \# 2")]
    [InlineData(@"@ TXT \# x 00")]
    public void Generic_data_without_its_length_or_octets_is_a_syntax_error(string record)
    {
        var (parsed, _) = Check(Head + record + "\n");

        var error = Assert.Single(parsed.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(5, error.Location.Line);
    }

    /// <summary>Found by the one-record corpus: a record that ended where the parser peeked at the next field threw an index error.</summary>
    [Theory]
    [InlineData("www DS 12345 8")]
    [InlineData("@ SSHFP 1")]
    [InlineData("@ TA 1 8")]
    [InlineData("@ CERT")]
    [InlineData("@ X25")]
    [InlineData("@ ZONEMD 2018031500 1")]
    [InlineData("@ DSYNC CDS")]
    [InlineData("@ AMTRELAY 0 0")]
    public void A_record_that_ends_before_a_peeked_field_is_a_syntax_error(string record)
    {
        var (parsed, _) = Check(Head + record + "\n");

        var error = Assert.Single(parsed.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(5, error.Location.Line);
    }

    [Theory]
    [InlineData(@"@ A \# 0", "ends before its IPv4 address")]
    [InlineData(@"@ A \# 5 C000020101", "left over")]
    [InlineData(@"@ TXT \# 0", "ends before its text")]
    [InlineData(@"@ TXT \# 2 0500", "ends before its text")]
    [InlineData(@"@ MX \# 0", "ends before its preference")]
    [InlineData(@"@ SRV \# 0", "ends before its priority")]
    [InlineData(@"@ CAA \# 0", "ends before its flags")]
    [InlineData(@"@ CAA \# 2 0000", "letters and digits")]
    [InlineData(@"@ TLSA \# 0", "ends before its certificate usage")]
    [InlineData(@"@ TLSA \# 3 030101", "ends before its certificate association data")]
    [InlineData(@"@ DNSKEY \# 0", "ends before its flags")]
    [InlineData(@"@ DS \# 5 0001080200", "needs a 32-octet digest")]
    [InlineData(@"@ SSHFP \# 3 010100", "needs a 20-octet fingerprint")]
    [InlineData(@"@ NSEC \# 1 00", "type bit map")]
    [InlineData(@"@ HTTPS \# 7 00010000030000", "port")]
    [InlineData(@"@ LOC \# 0", "ends before its version")]
    [InlineData(@"@ EUI48 \# 5 0011223344", "ends before its address")]
    public void Generic_data_of_a_known_type_is_read_as_its_wire_format(string record, string reason)
    {
        var (parsed, _) = Check(Head + record + "\n");

        var error = Assert.Single(parsed.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(5, error.Location.Line);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"@ A \# 4 C0000201", "192.0.2.1")]
    [InlineData(@"@ MX \# 3 000a00", "10 .")]
    [InlineData(@"@ CAA \# 3 000161", "0 a \"\"")]
    [InlineData(@"@ HTTPS \# 9 000100000300021f90", "1 . port=\"8080\"")]
    [InlineData(@"@ NSEC \# 4 00000160", ". A NS")]
    [InlineData(@"@ NULL \# 0", @"\# 0")]
    [InlineData(@"@ TYPE55555 \# 0", @"\# 0")]
    public void Generic_data_that_fits_its_type_is_read_as_that_type(string record, string data)
    {
        var (parsed, _) = Check(Head + record + "\n");

        Assert.DoesNotContain(parsed.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(data, parsed.Records[^1].Data.ToString());
    }

    [Fact]
    public void Endless_nul_input_stops_at_once_as_binary()
    {
        var parsed = MasterFileParser.Parse(new EndlessReader('\0'), new ZoneParserOptions { Origin = Origin });

        var stop = Assert.Single(parsed.Diagnostics);
        Assert.Equal(DiagnosticKind.Stopped, stop.Kind);
        Assert.Contains("binary data", stop.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_endless_line_stops_reading_at_that_line_and_keeps_what_came_before()
    {
        var parsed = MasterFileParser.Parse(new EndlessReader('a', Head), new ZoneParserOptions { Origin = Origin });

        var stop = Assert.Single(parsed.Diagnostics);
        Assert.Equal(DiagnosticKind.Stopped, stop.Kind);
        Assert.Equal(new SourceLocation(5, 1), stop.Location);
        Assert.Contains("longer than 65536 characters", stop.Message, StringComparison.Ordinal);
        Assert.Equal(3, parsed.Records.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(MasterFileTokenizer.DefaultBlockSize)]
    public void An_overlong_line_in_the_middle_of_a_file_is_found_with_any_block_size(int blockSize)
    {
        var text = Head + new string('a', MasterFileParser.MaxLineLength + 1) + "\nwww A 192.0.2.2\n";

        var parsed = MasterFileParser.Parse(new StringReader(text), new ZoneParserOptions { Origin = Origin }, blockSize);

        var stop = Assert.Single(parsed.Diagnostics);
        Assert.Equal(new SourceLocation(5, 1), stop.Location);
        Assert.Equal(3, parsed.Records.Count);
    }

    [Fact]
    public void A_line_at_the_limit_is_read()
    {
        var text = Head + "www TXT " + new string('a', 200) + new string(' ', MasterFileParser.MaxLineLength - 208) + "\n";

        var parsed = MasterFileParser.Parse(text, new ZoneParserOptions { Origin = Origin });

        Assert.Empty(parsed.Diagnostics);
        Assert.Equal(4, parsed.Records.Count);
    }

    /// <summary>A reader that never ends, like /dev/zero or an endless pipe, after an optional start.</summary>
    private sealed class EndlessReader(char fill, string start = "") : TextReader
    {
        private int _position;

        public override int Read(char[] buffer, int index, int count)
        {
            for (var i = 0; i < count; i++)
            {
                buffer[index + i] = _position < start.Length ? start[_position] : fill;
                _position++;
            }

            return count;
        }

        public override int Read() => _position < start.Length ? start[_position++] : fill;
    }
}
