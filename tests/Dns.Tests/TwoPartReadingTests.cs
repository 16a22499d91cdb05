using System.Text;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Tests.Differential;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Dns.Tests;

/// <summary>
/// A large zone is read in two parts at once (<see cref="MasterFileParser.Parse(ZoneBytes, ZoneParserOptions?)"/>). Split
/// at every line a part may start on, with the later part's guess of how it starts made at several points (so right and
/// wrong), keeping every record or only some (held compactly), every zone must read exactly as it reads whole: records
/// with their places, problems, line count, origin, and the names of the records not kept.
/// </summary>
public sealed class TwoPartReadingTests
{
    private static readonly DnsName Example = DnsName.Parse("example.com.");

    [Theory]
    [MemberData(nameof(CorpusZones.Names), MemberType = typeof(CorpusZones))]
    public void A_differential_zone_reads_the_same_split_anywhere(string file)
    {
        var bytes = File.ReadAllBytes(CorpusZones.PathOf(file));
        if (!bytes.Contains((byte)'\n'))
        {
            // Lines that end in CR alone (classic Mac OS) have no line a later part can start at: such a text is read
            // whole, and from its bytes it reads as from its text.
            var options = new ZoneParserOptions { Origin = Example };
            var names = MasterFileParser.Parse(ZoneBytes.Of(bytes), options, -1, 0).Records.SelectMany(r => Ancestors(r.Owner)).Distinct().ToList();
            Assert.NotEmpty(names);
            Assert.Equal(Describe(MasterFileParser.Parse(Encoding.UTF8.GetString(bytes), options), names),
                Describe(MasterFileParser.Parse(ZoneBytes.Of(bytes), options, -1, 0), names));
            return;
        }

        AssertSameSplitAnywhere(bytes);
    }

    public static TheoryData<string, string> Awkward() => new()
    {
        { "ttl-changes-midway", "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\na A 192.0.2.1\nb CNAME a\n$TTL 60\nc A 192.0.2.3\nd CNAME c\n" },
        { "origin-changes-midway", "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 h 1 2 3 4 5\na CNAME b\n$ORIGIN sub.example.com.\nc CNAME d\ne CAA 0 issue \"amazon.com\"\n$ORIGIN Example.COM.\nf CNAME g\n" },
        { "no-ttl-explicit-each", "@ 300 SOA ns1 h 1 2 3 4 5\na 60 CNAME b\nc 70 A 192.0.2.1\nd 80 CNAME e\nf 90 NS ns1\n" },
        { "no-ttl-implicit", "@ 300 SOA ns1 h 1 2 3 4 5\na CNAME b\nc 70 A 192.0.2.1\nd CNAME e\nf NS ns1\n" },
        { "soa-minimum-ttl", "@ SOA ns1 h 1 2 3 4 5\na CNAME b\nc A 192.0.2.1\nd CNAME e\n" },
        { "parentheses-across-lines", "$TTL 300\n@ SOA ns1 h (\n1\n2 3\n4 5 )\na TXT ( \"x\"\nb \"y\" )\nc CNAME d\ne MX ( 10\nmail )\nf CNAME g\n" },
        { "unclosed-parenthesis", "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\na TXT ( \"x\"\nb CNAME c\nd CNAME e\nf A 192.0.2.1\n" },
        { "stray-close", "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\na CNAME b )\nc CNAME d\n) e\nf CNAME g\n" },
        { "blank-owners", "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n  NS ns1\na CNAME b\n  A 192.0.2.1\nc A 192.0.2.2\n\tCAA 0 issue \"x\"\n\tAAAA ::1\nd CNAME e\n" },
        { "comments", "; top\n$TTL 300\n@ SOA ns1 h 1 2 3 4 5 ; soa\n; between\na CNAME b ; x\n;c CNAME d\ne CNAME f\n" },
        { "crlf", "$TTL 300\r\n@ SOA ns1 h 1 2 3 4 5\r\na CNAME b\r\nc A 192.0.2.1\r\nd CNAME e\r\n" },
        // A CR alone ends an entry but starts no line (as in BIND): the later part's first line is counted in LFs.
        { "cr-alone-and-lf", "$TTL 300\r@ SOA ns1 h 1 2 3 4 5\ra CNAME b\r\nc A 192.0.2.1\nd CNAME e\rf CNAME g\n\tA 192.0.2.2\rh TXT \"x\ry\"\ni CNAME j\r" },
        { "byte-order-mark", "\uFEFF$TTL 300\n@ SOA ns1 h 1 2 3 4 5\na CNAME b\nc CNAME d\n" },
        { "non-ascii", "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\nbücher CNAME b\nc CNAME bücher\nd CNAME e\n" },
        { "nul-later", "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\na CNAME b\nc CNAME d\nbad\0line\ne CNAME f\n" },
        { "class-differs-later", "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\na CNAME b\nc CH A 192.0.2.1\nd CNAME e\n" },
        { "errors-everywhere", "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\na BOGUS x\nb A 999.0.0.1\nc CNAME d\nd A\ne MX x y\nf CNAME g\nh A 1.2.3\ni CNAME j\n" },
        { "include-and-generate", "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\na CNAME b\n$INCLUDE other.zone\nc CNAME d\n$GENERATE 1-2 x$ A 192.0.2.$\ne CNAME f\n" },
        { "no-origin-until-soa", "$TTL 300\nexample.com. SOA ns1.example.com. h.example.com. 1 2 3 4 5\nwww.example.com. CNAME x.example.net.\nexample.com. NS ns1.example.com.\n" },
        { "out-of-zone", "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\na CNAME b\nother.org. CNAME c\nd CNAME e\n" },
        { "owner-split-across", "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\na CNAME b\na CNAME c\na A 192.0.2.1\nb A 192.0.2.2\nb AAAA ::1\n" },
        // A line whose owner is not read (a bad name, a stray ')', a quote left open): the next line's blank owner is the one before it.
        { "bad-owner-then-blank-owner", "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\na CNAME b\nbad..name A 192.0.2.1\n  A 192.0.2.2\nc CNAME d\n" },
        { "stray-close-then-blank-owner", "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\na A 192.0.2.1\nb ) A 192.0.2.1\n  AAAA ::1\nc CNAME d\n" },
        { "open-quote-then-blank-owner", "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\na A 192.0.2.1\nb TXT \"x\n\tAAAA ::1\nc CNAME d\n" },
    };

    [Theory]
    [MemberData(nameof(Awkward))]
    public void An_awkward_zone_reads_the_same_split_anywhere(string name, string text)
    {
        _ = name;
        AssertSameSplitAnywhere(Encoding.UTF8.GetBytes(text));
    }

    [Fact]
    public void The_error_limit_counts_the_errors_of_both_parts()
    {
        var text = new StringBuilder("$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n");
        for (var i = 0; i < 12; i++)
        {
            text.Append(i % 3 == 0 ? $"bad{i} BOGUS x\n" : $"ok{i} CNAME t{i}\n");
        }

        foreach (var maxErrors in new[] { 1, 2, 3, 4, 5, 100 })
        {
            AssertSameSplitAnywhere(Encoding.UTF8.GetBytes(text.ToString()), maxErrors);
        }
    }

    [Fact]
    public void An_entry_open_at_the_split_is_read_whole_even_when_the_earlier_part_reached_the_error_limit()
    {
        // Read up to the split, the entry open there is an error ('(' never closed) that reaches the limit: read whole, it is not.
        var text = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\nbad BOGUS x\na TXT (\nbb )\nc CNAME d\ne TXT ( x\nf\ng )\nh CNAME i\n";
        foreach (var maxErrors in new[] { 1, 2, 3 })
        {
            AssertSameSplitAnywhere(Encoding.UTF8.GetBytes(text), maxErrors);
        }
    }

    /// <summary>Lines that each leave something for the lines after (an owner, a TTL, an origin, a class, an open entry, errors).</summary>
    private static readonly string[] Pieces =
    [
        "$ORIGIN example.com.\n", "$ORIGIN sub.example.com.\n", "$ORIGIN Example.COM.\n", "$ORIGIN .\n", "$TTL 60\n", "$TTL 4294967295\n",
        "@ SOA ns1 h 1 2 3 4 5\n", "@ 300 SOA ns1 h 1 2 3 4 5\n", "@ SOA ns1 h ( 1\n 2 3\n 4 5 )\n", "@ NS ns1\n", "n NS ns1\n",
        "a CNAME b\n", "a 60 CNAME b\n", "u 5 CNAME v\n", "b A 192.0.2.1\n", "c 70 IN A 192.0.2.2\n", "d CH A 192.0.2.3\n", "e IN 80 AAAA ::1\n",
        "  A 192.0.2.9\n", "\tCAA 0 issue \"x\"\n", "bad..x A 192.0.2.1\n", "f ) A 192.0.2.1\n", ") g\n", "h TXT ( \"x\"\n", "i TXT \"y\" )\n",
        "j TXT \"open\n", "z A 192.0.2.1 (\n", ")\n", "$INCLUDE x\n", "$GENERATE 1-2 a$ A 1.2.3.$\n", "; comment\n", "\n", "k CNAME l ; c\n",
        "other.org. CNAME m\n", "o BOGUS x\n", "p A 999.1.1.1\n", "q MX 10 mail\n", "r\r\n", "s CNAME t\r\n", "* CNAME w\n",
        "www.example.com.example.com. A 192.0.2.1\n", "x.sub CNAME y\n", "\uFEFFbom CNAME b\n",
    ];

    [Fact]
    public void Zones_made_of_lines_that_leave_something_behind_read_the_same_split_anywhere()
    {
        // Fixed: a failure names its zone, which the next run makes again.
        var random = new Random(20261207);
        for (var round = 0; round < 30; round++)
        {
            // The first line starts with an owner, so that there is a line to split at after it.
            var text = "a0 CNAME b0\n" + string.Concat(Enumerable.Range(0, random.Next(3, 20)).Select(_ => Pieces[random.Next(Pieces.Length)]));
            var maxErrors = random.Next(4) == 0 ? 100 : random.Next(1, 6);
            AssertSameSplitAnywhere(Encoding.UTF8.GetBytes(text), maxErrors, withOrigin: random.Next(3) != 0);
        }
    }

    [Fact]
    public void A_large_zone_is_read_in_two_parts_with_the_same_result()
    {
        var text = new StringBuilder("$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\n");
        for (var i = 0; text.Length < MasterFileParser.TwoPartsFrom * 2; i++)
        {
            text.Append(i % 5 == 0 ? $"w{i} CNAME t{i % 97}.example.net.\n" : $"h{i} 300 A 10.0.{i % 256}.{i % 200}\n");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var keep = new ZoneParserOptions { Origin = Example, Keep = t => t == RecordType.CNAME || t == RecordType.SOA || t == RecordType.NS };
        foreach (var options in new[] { keep, new ZoneParserOptions { Origin = Example } })
        {
            var whole = Describe(MasterFileParser.Parse(new StringReader(text.ToString()), options), []);
            var inTwo = MasterFileParser.Parse(ZoneBytes.Of(bytes), options);
            Assert.Equal(whole, Describe(inTwo, []));
            // Two cores or more (CI has two): the parts are read at once, unless the pool had no thread free at the time.
            Assert.NotEqual(Environment.ProcessorCount > 1 ? ZoneReading.Whole : ZoneReading.TwoPartsAtOnce, inTwo.ReadAs);
        }
    }

    [Fact]
    public void A_directive_after_the_first_entries_has_the_later_part_read_again()
    {
        var text = new StringBuilder("$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 h 1 2 3 4 5\n");
        for (var i = 0; i < 100; i++)
        {
            text.Append($"a{i} CNAME t{i}\n");
        }

        text.Append("$TTL 60\n");
        for (var i = 0; text.Length < 4000; i++)
        {
            text.Append($"b{i} CNAME t{i}\n");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var split = Array.LastIndexOf(bytes, (byte)'\n', bytes.Length - 100) + 1;
        var inTwo = MasterFileParser.Parse(ZoneBytes.Of(bytes), new ZoneParserOptions(), split, 64, waitForGuess: true);

        Assert.Equal(ZoneReading.TwoPartsOneAfterTheOther, inTwo.ReadAs);
        Assert.Equal(60u, inTwo.Records[^1].Ttl);
        Assert.Equal(ZoneReading.TwoPartsAtOnce, MasterFileParser.Parse(ZoneBytes.Of(bytes), new ZoneParserOptions(), split, 200, waitForGuess: true).ReadAs);
    }

    [Fact]
    public void Only_a_line_that_can_start_an_entry_with_an_owner_starts_a_part()
    {
        foreach (var c in " \t\r\n;$()\"\0")
        {
            Assert.False(MasterFileParser.CanStartPart((byte)c));
        }

        foreach (var c in "a@*_0\\-")
        {
            Assert.True(MasterFileParser.CanStartPart((byte)c));
        }
    }

    [Fact]
    public void The_newlines_before_a_place_are_counted_across_reads()
    {
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("a\nbb\n\nccc\n", 300_000)));
        Assert.Equal(4 * 150_000, ZoneBytes.Of(bytes).CountNewlines(bytes.Length / 2));
    }

    /// <summary>Reads the zone whole, then split at each line a part may start on, and compares.</summary>
    private static void AssertSameSplitAnywhere(byte[] bytes, int maxErrors = 100, bool withOrigin = true)
    {
        var source = ZoneBytes.Of(bytes);
        var everything = new ZoneParserOptions { Origin = withOrigin ? Example : null, MaxErrors = maxErrors };
        var names = MasterFileParser.Parse(source, everything, -1, 0).Records.SelectMany(r => Ancestors(r.Owner)).Distinct().ToList();
        var modes = new[]
        {
            everything,
            everything with { Keep = t => t == RecordType.CNAME || t == RecordType.CAA, CompactAbove = 0 },
            everything with { Keep = t => t == RecordType.CNAME || t == RecordType.NS, CompactAbove = 2 },
        };
        var splits = Enumerable.Range(1, bytes.Length - 1).Where(i => bytes[i - 1] == '\n' && MasterFileParser.CanStartPart(bytes[i])).ToList();
        Assert.NotEmpty(splits);
        foreach (var options in modes)
        {
            var whole = Describe(MasterFileParser.Parse(source, options, -1, 0), names);
            foreach (var split in splits)
            {
                foreach (var guessAfter in new[] { 0, 1, 3, 64 })
                {
                    foreach (var (blockSize, waitForGuess) in new[] { (5, true), (MasterFileTokenizer.DefaultBlockSize, true), (MasterFileTokenizer.DefaultBlockSize, false) })
                    {
                        var inTwo = Describe(MasterFileParser.Parse(source, options, split, guessAfter, blockSize, waitForGuess), names);
                        Assert.True(whole == inTwo,
                            $"split at byte {split}, guess after {guessAfter} entries, block {blockSize}, guess used: {waitForGuess}, error limit {maxErrors}:\n--- text\n{Encoding.UTF8.GetString(bytes)}\n--- whole\n{whole}\n--- in two\n{inTwo}");
                    }
                }
            }
        }
    }

    private static IEnumerable<DnsName> Ancestors(DnsName name)
    {
        for (var at = name; !at.IsRoot; at = at.Parent)
        {
            yield return at;
        }
    }

    private static string Describe(ParsedZone zone, IReadOnlyList<DnsName> names) =>
        string.Join('\n', zone.Records.Select(r => $"{r.Location} {r.ToZoneLine()}")
            .Concat(zone.Diagnostics.Select(d => $"{d.Kind} {d}"))
            .Concat(names.Select(n => $"other {n.Text}: {zone.Others.Contains(n)} {string.Join(',', zone.Others.TypesAt(n))}"))
            .Append($"lines={zone.LineCount} records={zone.RecordCount} origin={zone.Origin?.Text} compact={zone.Kept.IsCompact}"));
}
