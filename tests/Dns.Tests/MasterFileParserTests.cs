using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Dns.Tests;

public sealed class MasterFileParserTests
{
    private static readonly ZoneParserOptions ExampleCom = new() { Origin = DnsName.Parse("example.com.") };

    private static ParsedZone Parse(string text) => MasterFileParser.Parse(text.ReplaceLineEndings("\n"), ExampleCom);

    private static string[] Lines(ParsedZone zone) => zone.Records.Select(r => r.ToZoneLine()).ToArray();

    [Fact]
    public void Reads_origin_ttl_owner_inheritance_and_at_sign()
    {
        var zone = Parse("""
            $TTL 1h30m
            @   IN SOA ns1 hostmaster ( 2024010101 ; serial
                        2h 15M 2W 300 )
                NS ns1
            ns1 A 192.0.2.1
            $ORIGIN sub.example.com.
            www 60 IN CNAME @
            """);

        Assert.Empty(zone.Diagnostics);
        Assert.Equal(
        [
            "example.com. 5400 IN SOA ns1.example.com. hostmaster.example.com. 2024010101 7200 900 1209600 300",
            "example.com. 5400 IN NS ns1.example.com.",
            "ns1.example.com. 5400 IN A 192.0.2.1",
            "www.sub.example.com. 60 IN CNAME sub.example.com.",
        ], Lines(zone));
    }

    [Fact]
    public void An_owner_written_again_after_an_at_sign_is_itself_not_the_apex()
    {
        var zone = Parse("""
            $TTL 300
            www A 192.0.2.1
            @ CAA 0 issue "amazon.com"
            www CAA 0 issue "letsencrypt.org"
                TXT "continues www"
            """);

        Assert.Equal(["www.example.com.", "example.com.", "www.example.com.", "www.example.com."], zone.Records.Select(r => r.Owner.Text));
    }

    [Fact]
    public void With_dollar_ttl_an_explicit_ttl_does_not_become_the_default()
    {
        var zone = Parse("""
            $TTL 300
            a 10 A 192.0.2.1
            b A 192.0.2.2
            """);

        Assert.Equal([10u, 300u], zone.Records.Select(r => r.Ttl));
    }

    [Fact]
    public void Without_dollar_ttl_the_last_explicit_ttl_carries_and_the_parser_says_so()
    {
        var zone = Parse("""
            a 10 A 192.0.2.1
            b A 192.0.2.2
            """);

        Assert.Equal([10u, 10u], zone.Records.Select(r => r.Ttl));
        var warning = Assert.Single(zone.Diagnostics);
        Assert.Equal(DiagnosticKind.ImplicitTtl, warning.Kind);
        Assert.Equal(2, warning.Location.Line);
    }

    [Fact]
    public void A_first_record_with_no_ttl_at_all_is_an_error()
    {
        var zone = Parse("www A 192.0.2.1\n");

        var error = Assert.Single(zone.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Contains("no TTL", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1h30m", 5400u)]
    [InlineData("2W", 1209600u)]
    [InlineData("1d2h", 93600u)]
    [InlineData("010", 10u)]
    [InlineData("1h30", 3630u)]
    public void Ttl_units_are_read_as_bind_reads_them(string text, uint seconds)
    {
        Assert.True(TtlText.TryParse(text, out var value, out _));
        Assert.Equal(seconds, value);
    }

    [Theory]
    [InlineData("1x")]
    [InlineData("h")]
    [InlineData("99999999999")]
    public void Bad_ttls_are_refused(string text) => Assert.False(TtlText.TryParse(text, out _, out _));

    [Fact]
    public void Class_and_ttl_come_in_either_order()
    {
        var zone = Parse("""
            $TTL 300
            a IN 60 A 192.0.2.1
            b 70 IN A 192.0.2.2
            """);

        Assert.Equal([60u, 70u], zone.Records.Select(r => r.Ttl));
    }

    [Fact]
    public void Escapes_in_names_are_canonicalised()
    {
        var zone = Parse("""
            $TTL 300
            w\.x A 192.0.2.1
            w\065x A 192.0.2.2
            a\032b A 192.0.2.3
            """);

        Assert.Empty(zone.Diagnostics);
        Assert.Equal(["w\\.x.example.com.", "wAx.example.com.", "a\\032b.example.com."], zone.Records.Select(r => r.Owner.Text));
        Assert.Equal(3, zone.Records[0].Owner.LabelCount);
    }

    [Theory]
    [InlineData("b\u00fccher.example.", "b\\195\\188cher.example.")]
    [InlineData("b\\\u00fccher.example.", "b\\195\\188cher.example.")]
    [InlineData("a\\.b.example.", "a\\.b.example.")]
    [InlineData("A\\066C.example.", "ABC.example.")]
    public void Non_ascii_and_escaped_names_become_canonical(string text, string canonical) =>
        Assert.Equal(canonical, DnsName.Parse(text).Text);

    [Fact]
    public void Quoted_strings_keep_escapes_and_octets()
    {
        var zone = Parse("""
            $TTL 300
            @ TXT "a\"b" c\032d "\255" "x;y" ( "in" ; comment inside parentheses
                  "parens" )
            """);

        Assert.Empty(zone.Diagnostics);
        var txt = Assert.IsType<TxtData>(zone.Records[0].Data);
        Assert.Equal(["a\"b", "c d", "\u00ff", "x;y", "in", "parens"], txt.Strings);
        Assert.Equal("\"a\\\"b\" \"c d\" \"\\255\" \"x;y\" \"in\" \"parens\"", txt.ToString());
    }

    [Theory]
    [InlineData("0 issue \"amazon.com; accounturi=x\"", "0 issue \"amazon.com; accounturi=x\"")]
    [InlineData("0 iodef \"mailto:a\\\"b@example.com\"", "0 iodef \"mailto:a\\\"b@example.com\"")]
    [InlineData("128 tbs \"back\\\\slash\"", "128 tbs \"back\\\\slash\"")]
    [InlineData("0 issue \"\\009tab\"", "0 issue \"\\009tab\"")]
    [InlineData("0 issue \"caf\\233\"", "0 issue \"caf\\233\"")]
    public void Caa_values_are_written_back_quoted_with_their_escapes(string data, string written)
    {
        var zone = Parse($"$TTL 300\n@ CAA {data}\n");

        Assert.Empty(zone.Diagnostics);
        Assert.Equal(written, zone.Records[0].Data.ToString());
        Assert.Equal($"example.com. 300 IN CAA {written}", zone.Records[0].ToZoneLine());
    }

    [Fact]
    public void Crlf_line_endings_are_read()
    {
        var zone = MasterFileParser.Parse("$TTL 300\r\na A 192.0.2.1\r\nb TXT \"x\"\r\n", ExampleCom);

        Assert.Empty(zone.Diagnostics);
        Assert.Equal(2, zone.Records.Count);
    }

    [Fact]
    public void Rfc3597_generic_forms_are_read()
    {
        var zone = Parse("""
            $TTL 300
            a CLASS1 TYPE65000 \# 3 abcdef
            b A \# 4 C0000201
            c CAA \# 15 000569737375656c657473656e6372
            d TYPE1 192.0.2.9
            """);

        Assert.Empty(zone.Diagnostics);
        Assert.Equal(
        [
            "a.example.com. 300 IN TYPE65000 \\# 3 ABCDEF",
            "b.example.com. 300 IN A 192.0.2.1",
            "c.example.com. 300 IN CAA 0 issue \"letsencr\"",
            "d.example.com. 300 IN A 192.0.2.9",
        ], Lines(zone));
    }

    [Fact]
    public void Typed_data_for_the_dnssec_and_service_types()
    {
        var zone = Parse("""
            $TTL 300
            @ DNSKEY 257 3 13 ( mdsswUyr3DPW132mOi8V9xESWE8jTo0d
                                xCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ== )
            @ RRSIG SOA 13 2 300 20300101000000 20200101000000 12345 example.com. ( AAECAw== )
            @ NSEC a.example.com. SOA NS RRSIG NSEC DNSKEY
            @ NSEC3PARAM 1 0 0 -
            x NSEC3 1 1 5 AABB 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG
            sub DS 12345 ECDSAP256SHA256 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789ABCDEF
            _443._tcp TLSA 3 1 1 ABCDEF12
            @ SSHFP 1 1 0123456789abcdef0123456789abcdef01234567
            @ HTTPS 1 . alpn="h2,h3" port=443
            @ NAPTR 100 10 "u" "E2U+sip" "!^.*$!sip:info@example.com!" .
            @ SRV 0 5 5060 sip
            @ MX 10 mail
            @ CAA 128 issue "amazon.com"
            """);

        Assert.Empty(zone.Diagnostics);
        Assert.Equal(
            [typeof(DnsKeyData), typeof(RrsigData), typeof(NsecData), typeof(Nsec3ParamData), typeof(Nsec3Data), typeof(DsData),
             typeof(TlsaData), typeof(SshfpData), typeof(SvcbData), typeof(NaptrData), typeof(SrvData), typeof(MxData), typeof(CaaData)],
            zone.Records.Select(r => r.Data.GetType()));
        Assert.Equal("SOA 13 2 300 20300101000000 20200101000000 12345 example.com. AAECAw==", zone.Records[1].Data.ToString());
        Assert.Equal("1 . alpn=\"h2,h3\" port=\"443\"", zone.Records[8].Data.ToString());
        Assert.True(((CaaData)zone.Records[12].Data).IsCritical);
    }

    [Fact]
    public void An_unclosed_parenthesis_is_reported_where_it_opens_and_reading_resumes()
    {
        var zone = Parse("""
            $TTL 300
            @ SOA ns1 hostmaster ( 1 2 3 4 5
            ns1 A 192.0.2.1
            www A 192.0.2.2
            """);

        var error = Assert.Single(zone.Diagnostics);
        Assert.Equal(new SourceLocation(2, 22), error.Location);
        Assert.Equal("'(' opened here is never closed", error.Message);
        Assert.Equal(["ns1.example.com.", "www.example.com."], zone.Records.Select(r => r.Owner.Text));
    }

    [Fact]
    public void Errors_carry_line_and_column_and_reading_resumes_at_the_next_entry()
    {
        var zone = Parse("""
            $TTL 300
            a A 192.0.2.300
            b AAA 192.0.2.1
            c CAA 0 is_sue "amazon.com"
            d A 192.0.2.4
            e TXT "never closed
            f A 192.0.2.6
            """);

        Assert.Equal(
        [
            "2:5: '192.0.2.300' is not an IPv4 address (four numbers 0–255 separated by dots)",
            "3:3: unknown record type 'AAA'",
            "4:9: CAA tag 'is_sue' may contain only letters and digits",
            "6:7: this quoted string is not closed on its line (a '\"' is missing)",
        ], zone.Diagnostics.Select(d => d.ToString()));
        Assert.Equal(["d.example.com.", "f.example.com."], zone.Records.Select(r => r.Owner.Text));
    }

    [Fact]
    public void Include_is_refused_and_no_file_is_opened()
    {
        var zone = Parse("""
            $TTL 300
            $INCLUDE /etc/passwd
            a A 192.0.2.1
            """);

        var diagnostic = Assert.Single(zone.Diagnostics);
        Assert.Equal(DiagnosticKind.IncludeRefused, diagnostic.Kind);
        Assert.Contains("/etc/passwd", diagnostic.Message, StringComparison.Ordinal);
        Assert.Single(zone.Records);
    }

    [Fact]
    public void Names_and_labels_are_length_checked()
    {
        var longLabel = new string('a', 64);
        var longName = string.Join('.', Enumerable.Repeat(new string('b', 60), 5));
        var zone = Parse($"$TTL 300\n{longLabel} A 192.0.2.1\n{longName}. A 192.0.2.1\n");

        Assert.Equal(2, zone.Diagnostics.Count);
        Assert.Contains("64 octets", zone.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Contains("limit is 255", zone.Diagnostics[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Relative_names_without_an_origin_are_errors_not_guesses()
    {
        var zone = MasterFileParser.Parse("$TTL 300\nwww A 192.0.2.1\n");

        Assert.Contains("no origin", Assert.Single(zone.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_origin_comes_from_the_soa_when_none_is_given()
    {
        var zone = MasterFileParser.Parse("example.org. 300 IN SOA ns1.example.org. h.example.org. 1 2 3 4 5\n");

        Assert.Equal(DnsName.Parse("example.org."), zone.Origin);
    }

    [Fact]
    public void Binary_input_is_refused_at_once()
    {
        var zone = MasterFileParser.Parse("$TTL 300\nab\0\u0001\u0002", ExampleCom);

        var error = Assert.Single(zone.Diagnostics);
        Assert.Equal(DiagnosticKind.Stopped, error.Kind);
        Assert.Equal(new SourceLocation(2, 3), error.Location);
    }

    [Fact]
    public void Megabytes_of_open_parentheses_give_one_error_quickly()
    {
        var zone = MasterFileParser.Parse(new string('(', 4 * 1024 * 1024), ExampleCom);

        // One line of 4 MiB is past the longest line read: reading stops there.
        Assert.Contains("longer than 65536 characters", Assert.Single(zone.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_of_open_parentheses_gives_one_error()
    {
        var zone = MasterFileParser.Parse(new string('(', MasterFileParser.MaxLineLength), ExampleCom);

        Assert.Equal("'(' opened here is never closed", Assert.Single(zone.Diagnostics).Message);
    }

    [Fact]
    public void Many_lines_of_open_parentheses_stop_at_the_error_cap()
    {
        var text = string.Concat(Enumerable.Repeat("a A (\n", 200_000));
        var zone = MasterFileParser.Parse(text, ExampleCom with { MaxErrors = 50 });

        Assert.Equal(51, zone.Diagnostics.Count);
        Assert.Equal(DiagnosticKind.Stopped, zone.Diagnostics[^1].Kind);
    }

    [Fact]
    public void Garbage_text_produces_errors_not_exceptions()
    {
        const string Alphabet = "abc019 \t\n;()\"\\.@$*-_#\u00e9";
        var random = new Random(42);
        for (var round = 0; round < 200; round++)
        {
            var chars = new char[random.Next(1, 400)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = Alphabet[random.Next(Alphabet.Length)];
            }

            var zone = MasterFileParser.Parse("$TTL 300\n" + new string(chars), ExampleCom);
            Assert.NotNull(zone);
        }
    }
}
