using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Dns.Tests;

/// <summary>
/// A parse that keeps only some types (a zone audit's) holds name records as their parts and makes a record each time
/// one is read. Read back, and indexed by <see cref="ZoneData"/>, they must be the records a parse that keeps them whole
/// gives: same owner, type, class, TTL, data and place, and the same answers to every question the index is asked.
/// </summary>
public sealed class KeptRecordsTests
{
    private static readonly DnsName Apex = DnsName.Parse("example.com.");

    private static readonly HashSet<RecordType> Audited = [RecordType.SOA, RecordType.NS, RecordType.CNAME, RecordType.DNAME, RecordType.CAA, RecordType.PTR, RecordType.RRSIG];

    private const string Zone = """
        $TTL 300
        @ SOA ns1 h 1 2 3 4 5
        @ NS ns1
        @ NS ns2.example.net.
        ns1 A 192.0.2.1
        www 60 CNAME target
        target A 192.0.2.4
        target TXT "x"
        Mixed.Case CNAME Other.Example.NET.
        w\.x CNAME a\032b.example.org.
        tab\009 IN CNAME .
        both CNAME one.example.net.
        both CNAME two.example.net.
        both A 192.0.2.9
        cname-and-caa CNAME x.example.net.
        cname-and-caa CAA 0 issue "amazon.com"
        sub NS ns.example.net.
        sub NS ns2.example.net.
        glue.sub A 192.0.2.7
        old DNAME new.example.net.
        4.2.0.192 PTR host.example.com.
        www CNAME target
        UPPER.EXAMPLE.COM. CNAME WWW.EXAMPLE.COM.
        xexample.com. CNAME example.com.
        deep.er CNAME www.example.com.example.com.
        loop1 CNAME loop2
        loop2 CNAME LOOP1
        self CNAME self
        chain CNAME www
        signed CNAME target
        signed RRSIG CNAME 13 3 300 20300101000000 20200101000000 12345 example.com. AAAA
        $ORIGIN other.test.
        stray CNAME example.com.
        """;

    private static ParsedZone Parse(bool compact) =>
        MasterFileParser.Parse(Zone.ReplaceLineEndings("\n"), new ZoneParserOptions { Origin = Apex, Keep = compact ? Audited.Contains : null, CompactAbove = 0 });

    private static string Describe(ResourceRecord record) => $"{record.Location} {record.ToZoneLine()} labels={record.Owner.LabelCount}/{(record.Data as NameData)?.Target.LabelCount}";

    [Fact]
    public void Name_records_read_back_as_the_parser_made_them()
    {
        var whole = Parse(compact: false);
        var compact = Parse(compact: true);

        Assert.False(whole.Kept.IsCompact);
        Assert.True(compact.Kept.IsCompact);
        var kept = whole.Records.Where(r => Audited.Contains(r.Type)).Select(Describe).ToList();
        Assert.Equal(kept, compact.Records.Select(Describe));
        // Name records compare as values (record equality); the others are the parser's own objects either way.
        Assert.Equal(whole.Records.Where(r => Audited.Contains(r.Type) && r.Data is NameData), compact.Records.Where(r => r.Data is NameData));
        for (var i = 0; i < compact.Kept.Count; i++)
        {
            Assert.Equal(compact.Records[i].Owner.Text, compact.Kept.OwnerText(i));
            Assert.Equal(compact.Records[i].Owner.LabelCount, compact.Kept.OwnerLabelCount(i));
            Assert.Equal(compact.Records[i].Type, compact.Kept.TypeAt(i));
            Assert.Equal(compact.Records[i].Owner, compact.Kept.Owner(i));
        }

        // The zone's name is cut off the stored texts and put back: whatever was before it comes back the same.
        Assert.Contains(compact.Records, r => r.Owner.Text == "xexample.com.");
        Assert.Contains(compact.Records, r => r.Owner.Text == "UPPER.EXAMPLE.COM." && r.Data.ToString() == "WWW.EXAMPLE.COM.");

        // Made anew at every read: nobody holds on to the objects of a compact record.
        var cname = compact.Records.Select((r, i) => (r, i)).First(pair => pair.r.Type == RecordType.CNAME).i;
        Assert.NotSame(compact.Records[cname], compact.Records[cname]);
        Assert.Equal(compact.Records[cname], compact.Records[cname]);
    }

    [Fact]
    public void The_index_answers_the_same_over_compact_records()
    {
        var whole = ZoneData.Build(Parse(compact: false), Apex);
        var compact = ZoneData.Build(Parse(compact: true), Apex);

        Assert.Equal(whole.CnameOwners, compact.CnameOwners);
        Assert.Equal(whole.CaaOwners, compact.CaaOwners);
        Assert.Equal(whole.Delegations, compact.Delegations);
        Assert.Equal(whole.OutOfZone.Select(Describe), compact.OutOfZone.Select(Describe));
        Assert.Equal(whole.Owners.Where(owner => Kept(whole.At(owner)).Any()).Order(), compact.Owners.Order());
        Assert.Equal(whole.RecordCount - Unkept(whole), compact.RecordCount);

        // The CNAMEs that need a closer look, as the integrity check once picked them, one record list at a time.
        static IEnumerable<DnsName> ToFollow(ZoneData zone) => zone.CnameOwners.Where(owner => !(zone.LoneCname(owner) is { Data: var data }
            && (data is not NameData { Target: var target } || (target != owner && !zone.HasKept(target, RecordType.CNAME)))));
        Assert.Equal(ToFollow(whole), whole.CnameOwnersToFollow());
        Assert.Equal(ToFollow(compact), compact.CnameOwnersToFollow());
        Assert.Equal(["www", "both", "cname-and-caa", "UPPER.EXAMPLE.COM.", "loop1", "loop2", "self", "chain"], compact.CnameOwnersToFollow().Select(o => o.Text.Replace(".example.com.", "", StringComparison.Ordinal)));

        string[] others = ["nope", "a.b", "glue.sub", "x.www", "sub", "MIXED.case", "4.2.0.192"];
        var names = whole.Owners.Concat(others.Select(n => DnsName.Parse(n + ".example.com."))).ToList();
        foreach (var name in names)
        {
            Assert.Equal(whole.Exists(name), compact.Exists(name));
            Assert.Equal(whole.DelegationCovering(name), compact.DelegationCovering(name));
            Assert.Equal(whole.LoneCname(name) is { } lone ? Describe(lone) : null, compact.LoneCname(name) is { } made ? Describe(made) : null);
            Assert.Equal(Kept(whole.At(name)), compact.At(name).Select(Describe));
            foreach (var type in Audited.Append(RecordType.A).Append(RecordType.TXT))
            {
                Assert.Equal(whole.Has(name, type), compact.Has(name, type));
                Assert.Equal(whole.HasKept(name, type) && Audited.Contains(type), compact.HasKept(name, type));
                Assert.Equal(Kept(whole.At(name, type)), compact.At(name, type).Select(Describe));
            }
        }
    }

    [Fact]
    public void Many_cnames_are_looked_at_in_two_halves_with_the_answer_of_one()
    {
        // Past CnamesInTwoHalvesFrom, the CNAMEs are looked at in two halves at once: those to follow, from both, in file order.
        var count = ZoneData.CnamesInTwoHalvesFrom + 3_000;
        var lines = Enumerable.Range(0, count).Select(i => i % 97 == 0 ? $"c{i} CNAME c{i + 1}" : i % 1_001 == 0 ? $"c{i} CNAME t.example.net.\nc{i} TXT \"x\"" : $"c{i} CNAME t{i % 50}.example.net.");
        var text = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n" + string.Join('\n', lines) + "\n";
        foreach (var compact in new[] { false, true })
        {
            var zone = ZoneData.Build(MasterFileParser.Parse(text, new ZoneParserOptions { Origin = Apex, Keep = Audited.Contains, CompactAbove = compact ? 0 : int.MaxValue }), Apex);
            var expected = zone.CnameOwners.Where(owner => !(zone.LoneCname(owner) is { Data: NameData { Target: var target } } && target != owner && !zone.HasKept(target, RecordType.CNAME))).ToList();

            // Some in each half, of both kinds (a chain, a CNAME beside other data).
            Assert.Contains(expected, n => n.Text == "c97.example.com.");
            Assert.Contains(expected, n => n.Text == "c1001.example.com.");
            Assert.Contains(expected, n => n.Text == $"c{count / 97 * 97}.example.com.");
            Assert.Contains(expected, n => n.Text == $"c{count / 1_001 * 1_001}.example.com.");
            Assert.Equal(expected, zone.CnameOwnersToFollow());
        }
    }

    [Fact]
    public void Many_records_cross_chunks_in_order()
    {
        // Several full chunks of entries, and a part-filled one.
        var lines = Enumerable.Range(0, 5_000).Select(i => $"h{i} {i + 1} CNAME t{i}.example.net.");
        var text = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\n" + string.Join('\n', lines) + "\n";
        var compact = MasterFileParser.Parse(text, new ZoneParserOptions { Origin = Apex, Keep = Audited.Contains, CompactAbove = 0 });
        var whole = MasterFileParser.Parse(text, new ZoneParserOptions { Origin = Apex });

        Assert.Equal(5_002, compact.Kept.Count);
        Assert.Equal(whole.Records.Select(Describe), compact.Records.Select(Describe));
        Assert.Throws<ArgumentOutOfRangeException>(() => compact.Records[5_002]);
        Assert.Throws<ArgumentOutOfRangeException>(() => compact.Records[-1]);
    }

    [Theory]
    [InlineData("www A 192.0.2.2")]
    [InlineData("www CAA 0 issue \"amazon.com\"")]
    [InlineData("www NSEC x.example.com. A")]
    public void Cnames_where_gives_every_cname_of_a_name_whose_first_record_is_another_type(string first)
    {
        // The name's CNAMEs are listed from its first CNAME; the name's records are grouped under its first record.
        var text = $"$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\n@ CNAME one.example.net.\n{first}\nwww CNAME a.example.net.\nwww CNAME b.example.net.\n";
        foreach (var compact in new[] { false, true })
        {
            var zone = ZoneData.Build(MasterFileParser.Parse(text, new ZoneParserOptions { Origin = Apex, Keep = compact ? Audited.Contains : null, CompactAbove = 0 }), Apex);

            Assert.Equal(zone.CnameOwners.SelectMany(owner => zone.At(owner, RecordType.CNAME)).Select(Describe), zone.CnamesWhere((_, _) => true).Select(Describe));
            Assert.Equal(["one.example.net.", "a.example.net.", "b.example.net."], zone.CnamesWhere((_, _) => true).Select(r => r.Data.ToString()));
        }
    }

    [Fact]
    public void The_records_of_one_owner_share_its_stored_text_at_any_size()
    {
        // Each owner's two records are one name object to the parser: its text is stored once. The cache that knows it
        // is direct-mapped, so an owner and its target may take one slot now and then (1 in 64 while the zone is small),
        // but not in whole stretches of the file.
        var lines = Enumerable.Range(0, 3_000).Select(i => $"h{i} CNAME t{i}.example.net.\n CNAME u{i}.example.net.");
        var text = "$TTL 300\n" + string.Join('\n', lines) + "\n";
        var kept = MasterFileParser.Parse(text, new ZoneParserOptions { Origin = Apex, Keep = Audited.Contains, CompactAbove = 0 }).Kept;

        Assert.Equal(6_000, kept.Count);
        foreach (var (from, to) in new[] { (0, 500), (500, 1_000), (1_000, 1_500), (1_500, 3_000) })
        {
            var apart = Enumerable.Range(from, to - from).Count(i => !kept.SharesOwner(2 * i, 2 * i + 1));
            Assert.True(apart < (to - from) / 4, $"owners {from}–{to}: {apart} stored twice");
        }
    }

    [Fact]
    public void Names_near_the_longest_read_back_across_text_chunks()
    {
        // 1,004 characters a name (255 octets, each written \DDD): a thousand of them fill the 64 KB text chunks many times over.
        var label = string.Concat(Enumerable.Repeat("\\255", 63));
        var last = string.Concat(Enumerable.Repeat("\\255", 61));
        var lines = Enumerable.Range(0, 1_000).Select(i => $"h{i}.{label}.{label} CNAME {label}.{label}.{label}.{last}.\n CNAME x{i}.{label}.{label}");
        var text = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n" + string.Join('\n', lines) + "\n";
        var compact = MasterFileParser.Parse(text, new ZoneParserOptions { Origin = Apex, Keep = Audited.Contains, CompactAbove = 0 });
        var whole = MasterFileParser.Parse(text, new ZoneParserOptions { Origin = Apex });

        Assert.Empty(whole.Diagnostics);
        Assert.Equal(1_004, ((NameData)whole.Records[1].Data).Target.Text.Length);
        Assert.Equal(whole.Records.Select(Describe), compact.Records.Select(Describe));
        Span<char> buffer = stackalloc char[DnsName.MaxTextLength + 1];
        for (var i = 0; i < compact.Kept.Count; i++)
        {
            Assert.Equal(whole.Records[i].Owner.Text, compact.Kept.OwnerChars(i, buffer).ToString());
            Assert.Equal(whole.Records[i].Owner.Text.Length, compact.Kept.OwnerLength(i));
            Assert.Equal((whole.Records[i].Data as NameData)?.Target.Text ?? "", compact.Kept.TargetChars(i, buffer, out var labels).ToString());
            Assert.Equal((whole.Records[i].Data as NameData)?.Target.LabelCount ?? 0, labels);
        }
    }

    [Fact]
    public void Reads_from_many_threads_at_once_give_what_one_thread_reads()
    {
        // The CAA rules climb names on several threads: a compact record is made at each read, and nothing read is cached.
        var lines = Enumerable.Range(0, 2_000).Select(i => i % 7 == 0 ? $"h{i} CAA 0 issue \"x\"\nh{i} A 192.0.2.1" : $"h{i} CNAME H{(i * 31) % 2_000}");
        var text = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n" + string.Join('\n', lines) + "\n";
        var zone = ZoneData.Build(MasterFileParser.Parse(text, new ZoneParserOptions { Origin = Apex, Keep = Audited.Contains, CompactAbove = 0 }), Apex);
        var names = Enumerable.Range(0, 2_000).Select(i => DnsName.Parse($"H{i}.example.com.")).ToList();
        string Answer(DnsName name) =>
            $"{zone.Exists(name)} {string.Join(';', zone.At(name).Select(Describe))} {zone.LoneCname(name)?.Location} {zone.HasKept(name, RecordType.CNAME)}";

        var once = names.Select(Answer).ToList();
        var differ = new System.Collections.Concurrent.ConcurrentBag<int>();
        Parallel.For(0, names.Count * 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            if (Answer(names[i % names.Count]) != once[i % names.Count])
            {
                differ.Add(i);
            }
        });

        Assert.Empty(differ);
        var follow = zone.CnameOwnersToFollow().Select(n => n.Text).ToList();
        Assert.NotEmpty(follow);
        var lists = new List<string>[4];
        Parallel.For(0, lists.Length, i => lists[i] = zone.CnameOwnersToFollow().Select(n => n.Text).ToList());
        Assert.All(lists, list => Assert.Equal(follow, list));
    }

    private const string Head = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n";

    /// <summary>
    /// Zones made to trip the compact store and the index over it: a name whose first record is not its CNAME, escapes,
    /// names that are not ASCII, other cases than the zone's, names that end with the zone's text without being in it,
    /// records before the zone is known and under other origins, the root zone, unknown-format CNAMEs, names whose
    /// records are apart, wildcards, delegations, the apex.
    /// </summary>
    public static TheoryData<string, string, string> Awkward() => new()
    {
        { "a-first-two-cnames", "example.com.", Head + "www A 192.0.2.2\nwww CNAME a.example.net.\nwww CNAME b.example.net.\n" },
        { "caa-first-two-cnames", "example.com.", Head + "www CAA 0 issue \"x\"\nwww CNAME a.example.net.\nwww CNAME b.example.net.\n" },
        { "nsec-first", "example.com.", Head + "www NSEC x.example.com. A\nwww CNAME a.example.net.\nwww CNAME b.example.net.\n" },
        { "escapes", "example.com.", Head + "a\\.b CNAME c\\046d.example.net.\n\\200x CNAME \\255.example.org.\nw\\032x CNAME www\nwww CNAME w\\ x\n" },
        { "nonascii", "example.com.", Head + "café CNAME ünï.example.net.\nCAFÉ CNAME x\n" },
        { "xexample", "example.com.", Head + "xexample.com. CNAME example.com.\nwww CNAME xexample.com.\nxexample.com. CNAME www\n" },
        { "before-origin", "example.com.", "x.example.com. 300 CNAME y.example.com.\nz.other. 300 CNAME x.example.com.\n$ORIGIN example.com.\n" + Head + "y CNAME x\nx CNAME z.other.\n" },
        { "origin-change", "example.com.", Head + "$ORIGIN sub.example.com.\na CNAME b\nb CNAME a\n$ORIGIN other.test.\nc CNAME d\n$ORIGIN example.com.\nc.other.test. CNAME a.sub\n" },
        { "upper-zone", "EXAMPLE.COM.", "$ORIGIN EXAMPLE.COM.\n" + Head + "WWW CNAME Www.Example.Com.\nwww A 192.0.2.4\nWww.EXAMPLE.com. CNAME x\nX CNAME WWW\n" },
        { "root-zone", ".", "$ORIGIN .\n$TTL 300\n. SOA a. b. 1 2 3 4 5\n. NS a.\ncom. NS a.\nwww.com. CNAME .\n. CNAME www.com.\n" },
        { "generic", "example.com.", Head + "g CNAME \\# 15 0378797a076578616d706c6503636f6d00\ng2 TYPE5 \\# 1 00\ng3 CNAME \\# 3 01 2e 00\n" },
        { "nonconsec", "example.com.", Head + "a CNAME x.example.net.\nb TXT y\na TXT z\nb CNAME c\nc CNAME x.example.net.\nA CNAME y.example.net.\nb CAA 0 issue \"x\"\n" },
        { "wild-deleg", "example.com.", Head + "* CNAME x.example.net.\n*.sub CNAME www\nwww CNAME *.sub\nsub NS ns.example.net.\nx.sub CNAME www\nsub CNAME x\n" },
        { "apex", "example.com.", Head + "@ CNAME www\nwww CNAME example.com.\nEXAMPLE.COM. CNAME x\n" },
    };

    [Theory]
    [MemberData(nameof(Awkward))]
    public void The_index_answers_the_same_over_compact_records_of_awkward_zones(string name, string apexText, string text)
    {
        _ = name;
        var apex = DnsName.Parse(apexText);
        var wholeParsed = MasterFileParser.Parse(text, new ZoneParserOptions { Origin = apex });
        var compactParsed = MasterFileParser.Parse(text, new ZoneParserOptions { Origin = apex, Keep = Audited.Contains, CompactAbove = 0 });
        var whole = ZoneData.Build(wholeParsed, apex);
        var compact = ZoneData.Build(compactParsed, apex);
        Assert.Equal(wholeParsed.Diagnostics.Select(d => d.ToString()), compactParsed.Diagnostics.Select(d => d.ToString()));
        Assert.Equal(wholeParsed.Records.Where(r => Audited.Contains(r.Type) || !r.Owner.IsSubdomainOf(apex)).Select(Describe), compactParsed.Records.Select(Describe));
        Assert.Equal(whole.CnameOwners.Select(n => n.Text), compact.CnameOwners.Select(n => n.Text));
        Assert.Equal(whole.CnameOwnersToFollow().Select(n => n.Text), compact.CnameOwnersToFollow().Select(n => n.Text));
        foreach (var zone in new[] { whole, compact })
        {
            Assert.Equal(zone.CnameOwners.SelectMany(o => zone.At(o, RecordType.CNAME)).Select(Describe), zone.CnamesWhere((_, _) => true).Select(Describe));
        }

        Assert.Equal(whole.CnamesWhere((_, _) => true).Select(Describe), compact.CnamesWhere((_, _) => true).Select(Describe));
        Assert.Equal(whole.OutOfZone.Select(Describe), compact.OutOfZone.Select(Describe));
        Assert.Equal(whole.Delegations.Select(n => n.Text), compact.Delegations.Select(n => n.Text));
        var names = whole.Owners.Concat(compact.Owners).Concat(wholeParsed.Records.SelectMany(r => r.Data is NameData n ? [r.Owner, n.Target, r.Owner.Parent] : new[] { r.Owner })).ToList();
        foreach (var n in names)
        {
            Assert.Equal(whole.Exists(n), compact.Exists(n));
            Assert.Equal(whole.LoneCname(n) is { } l ? Describe(l) : null, compact.LoneCname(n) is { } m ? Describe(m) : null);
            Assert.Equal(whole.At(n).Where(r => Audited.Contains(r.Type)).Select(Describe), compact.At(n).Select(Describe));
            foreach (var type in Audited.Append(RecordType.A).Append(RecordType.TXT).Append(RecordType.NSEC))
            {
                Assert.Equal(whole.Has(n, type), compact.Has(n, type));
                Assert.Equal(whole.At(n, type).Where(r => Audited.Contains(r.Type)).Select(Describe), compact.At(n, type).Select(Describe));
            }
        }
    }

    [Fact]
    public void An_audit_holds_records_compactly_only_once_the_zone_is_large()
    {
        var small = MasterFileParser.Parse(Zone.ReplaceLineEndings("\n"), new ZoneParserOptions { Origin = Apex, Keep = Audited.Contains });
        Assert.False(small.Kept.IsCompact);

        // Past the threshold the records kept so far are held compactly too, in the same order.
        var lines = Enumerable.Range(0, KeptRecords.DefaultCompactAbove + 10).Select(i => $"h{i} CNAME t{i % 7}.example.net.");
        var text = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\n@ CAA 0 issue \"amazon.com\"\n" + string.Join('\n', lines) + "\n";
        var large = MasterFileParser.Parse(text, new ZoneParserOptions { Origin = Apex, Keep = Audited.Contains });
        var whole = MasterFileParser.Parse(text, new ZoneParserOptions { Origin = Apex });
        Assert.True(large.Kept.IsCompact);
        Assert.Equal(whole.Records.Select(Describe), large.Records.Select(Describe));
    }

    private static IEnumerable<string> Kept(IEnumerable<ResourceRecord> records) => records.Where(r => Audited.Contains(r.Type)).Select(Describe);

    private static int Unkept(ZoneData zone) => zone.Owners.Sum(owner => zone.At(owner).Count(r => !Audited.Contains(r.Type)));
}
