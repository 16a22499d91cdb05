using RulesApi.Rules.Report;

namespace RulesApi.Rules.Tests;

/// <summary>
/// A zone audit keeps only the record types its rules read. Auditing every scenario zone both ways —
/// keeping everything, and keeping only those types — must give the same report.
/// </summary>
public sealed class AuditMemoryTests
{
    public static TheoryData<string, string> Zones()
    {
        var data = new TheoryData<string, string>();
        foreach (var scenario in Scenario.All())
        {
            data.Add(scenario.RuleId, scenario.File);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Zones))]
    public async Task An_audit_that_keeps_fewer_records_reports_the_same(string ruleId, string file)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(Scenario.Folder, ruleId, file));
        async Task<string> Audit(bool keepAll) =>
            ReportJson.Serialize(await Diagnosers.ZoneAsync(text, keepEveryRecord: keepAll, compactAbove: 0));

        Assert.Equal(await Audit(keepAll: true), await Audit(keepAll: false));
    }

    [Fact]
    public async Task An_audit_still_sees_a_cname_beside_records_it_did_not_keep()
    {
        const string Zone = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\nwww TXT \"x\"\nwww CNAME example.net.\n";
        var report = await Diagnosers.ZoneAsync(Zone);

        Assert.Contains("CNAME and other records (TXT)", Assert.Single(report.Findings, f => f.RuleId == "ZONE002").Message, StringComparison.Ordinal);
        Assert.Equal(5, report.Zone!.Records);
    }

    [Theory]
    [InlineData("")]
    [InlineData("www A 192.0.2.2\n")]
    [InlineData("www CAA 0 issue \"amazon.com\"\n")]
    public async Task Every_cname_whose_target_has_the_zone_twice_is_reported_whatever_record_comes_first(string first)
    {
        // VAL010 picks the CNAMEs by their targets' text; a name's records are grouped under its first one, which need not be a CNAME.
        var zone = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n" + first +
            "www CNAME a.example.com.example.com.\nwww CNAME b.example.com.example.com.\n";
        foreach (var keepAll in new[] { true, false })
        {
            var report = await Diagnosers.ZoneAsync(zone, keepEveryRecord: keepAll, compactAbove: 0);

            var targets = report.Findings.Where(f => f.RuleId == "VAL010").Select(f => f.Message).ToList();
            Assert.Equal(2, targets.Count);
            Assert.Contains(targets, m => m.Contains("a.example.com.example.com", StringComparison.Ordinal));
            Assert.Contains(targets, m => m.Contains("b.example.com.example.com", StringComparison.Ordinal));
        }
    }

    private const string Head = "$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n";

    /// <summary>
    /// Zones made to trip an audit's compact store (name records held as text with the zone's name cut off, owners
    /// indexed by the place of their first record): escapes, names that are not ASCII, names in other cases than the
    /// zone's, names that end with the zone's text without being in it, records before the zone is known and under
    /// other origins, the apex, the root, names of near 255 octets, loops, wildcards, delegations, unknown-format
    /// CNAMEs, names whose records are apart, and thousands of records across the store's chunks.
    /// </summary>
    public static TheoryData<string, string> Edges() => new()
    {
        { "val010-a-first", Head + "www A 192.0.2.2\nwww CNAME a.example.com.example.com.\nwww CNAME b.example.com.example.com.\n" },
        { "val010-caa-first", Head + "www CAA 0 issue \"amazon.com\"\nwww CNAME a.example.com.example.com.\nwww CNAME b.example.com.example.com.\n" },
        { "val010-owner-unkept", Head + "www.example.com.example.com. A 192.0.2.1\n" },
        { "val010-owner-some-kept", Head + "www.example.com.example.com. A 192.0.2.1\nwww.example.com.example.com. CAA 0 issue \"amazon.com\"\n" },
        { "val010-below-unkept", Head + "_x.www.example.com.example.com. TXT \"y\"\n" },
        { "val010-owner-case", Head + "WWW.example.com.example.com. TXT x\nwww.example.com.example.com. CNAME x.example.net.\n" },
        { "mixed-case-other", Head + "WWW TXT x\nwww CNAME x.example.net.\n" },
        { "escapes", Head + "a\\.b CNAME c\\046d.example.net.\n\\200x CNAME \\255.example.org.\nw\\032x CNAME www\n" },
        { "nonascii", Head + "café CNAME ünï.example.net.\n" },
        { "apex-cname", Head + "@ CNAME x.example.net.\n" },
        { "xexample", Head + "xexample.com. CNAME example.com.\nwww CNAME xexample.com.\n" },
        { "before-origin", "x.example.com. 300 CNAME y.example.com.\n$ORIGIN example.com.\n" + Head + "y CNAME x\n" },
        { "origin-change", Head + "$ORIGIN sub.example.com.\na CNAME b\nb CNAME a\n$ORIGIN other.test.\nc CNAME d\n" },
        { "root-target", Head + "www CNAME .\n" },
        { "loops", Head + "a CNAME b\nb CNAME c\nc CNAME A\n" },
        { "wild", Head + "* CNAME x.example.net.\n*.sub CNAME www\nwww CNAME *.sub\n" },
        { "deleg", Head + "sub NS ns.example.net.\nx.sub CNAME www\nwww.sub CNAME x.sub\nsub CNAME x.example.net.\n" },
        { "generic", Head + "g CNAME \\# 15 0378797a076578616d706c6503636f6d00\ng2 TYPE5 \\# 1 00\n" },
        { "nonconsec", Head + "a CNAME x.example.net.\nb TXT y\na TXT z\nb CNAME c\nc CNAME x.example.net.\nA CNAME y.example.net.\n" },
        { "acm", Head + "_3f1a2b4c5d6e7f8091a2b3c4d5e6f708.www A 192.0.2.1\n_3f1a2b4c5d6e7f8091a2b3c4d5e6f708.www CNAME bad.example.net.\n_3f1a2b4c5d6e7f8091a2b3c4d5e6f708.www CNAME bad2.example.net.\n" },
        { "ttl001", Head + "_3f1a2b4c5d6e7f8091a2b3c4d5e6f708.www 999999 CNAME _9a8b7c6d5e4f30211a2b3c4d5e6f7081.abcdefghij.acm-validations.aws.\n" },
        { "ptr-dname", Head + "old DNAME new.example.net.\n4.2 PTR host.example.com.\nold CNAME x\n" },
        { "upper-zone", "$ORIGIN EXAMPLE.COM.\n" + Head + "WWW CNAME Www.Example.Com.\nwww A 192.0.2.4\n" },
        { "nsec-two", Head + "www NSEC x.example.com. A\nwww CNAME a.example.com.example.com.\nwww CNAME b.example.com.example.com.\n" },
        { "nsec-one", Head + "www NSEC x.example.com. A\nwww CNAME a.example.com.example.com.\nx CNAME www\ny NSEC z.example.com. A\ny CNAME y\n" },
        { "caa-chain", Head + "@ CAA 0 issue \"letsencrypt.org\"\nshop CNAME Store.Example.Com.\nstore CAA 0 issue \"amazon.com\"\nsub.shop CAA 0 issue \"x\"\nA.b CNAME shop\nc.a.B CAA 0 issue \";\"\n" },
        { "loop-mixed", Head + "A CNAME b\nB CNAME C\nc CNAME a\nd CNAME A\n" },
        { "deleg-cname", Head + "sub NS ns.example.net.\nx.sub CNAME www\nwww CNAME x.sub\ny.SUB CAA 0 issue \"x\"\nz.sub NS ns.example.net.\n" },
        { "long", Head + LongNames() },
        { "big", Big() },
    };

    private static string LongNames()
    {
        var label = string.Concat(Enumerable.Repeat("\\255", 63));
        var shorter = string.Concat(Enumerable.Repeat("\\046", 50));
        var name = $"{label}.{label}.{shorter}.example.com.";
        // 255 octets, each written \DDD: 1,004 characters, near the longest text a name has.
        var target = $"{label}.{label}.{label}.{string.Concat(Enumerable.Repeat("\\255", 61))}.";
        return $"{name} CNAME {target}\nCAA.{label}.{label}.example.com. CAA 0 issue \"x\"\nw CNAME {name}\n{label}.{label}.{label}.x CNAME w\n";
    }

    private static string Big()
    {
        var b = new System.Text.StringBuilder(Head);
        b.Append("@ CAA 0 issue \"amazon.com\"\n");
        static string P(int n) => new('p', 40 + (Math.Abs(n) % 20));
        for (var i = 0; i < 6000; i++)
        {
            var pad = P(i);
            if (i % 97 != 5)
            {
                b.Append($"h{i}.{pad} CNAME t{i % 300}.example.net.\n");
                if (i % 5 == 0)
                {
                    b.Append($"a{i} A 192.0.2.1\n");
                }

                continue;
            }

            switch (i / 97 % 9)
            {
                case 0: b.Append($"x{i}.{pad} TXT \"x\"\nX{i}.{pad.ToUpperInvariant()} CAA 0 issue \";\"\n"); break;
                case 1: b.Append($"H{i - 1}.{P(i - 1).ToUpperInvariant()} NSEC x.example.com. A\n"); break;
                case 2: b.Append($"c{i} CAA 0 issue \"letsencrypt.org\"\nd{i} CNAME C{i}\n"); break;
                case 3: b.Append($"_3f1a2b4c5d6e7f8091a2b3c4d5e6f708.n{i} 99999 CNAME x{i}.example.com.example.com.\n"); break;
                case 4: b.Append($"l{i} CNAME L{i + 1}\nl{i + 1} CNAME l{i}\n"); break;
                case 5: b.Append($"q{i} A 192.0.2.1\nq{i}.example.com.example.com. CAA 0 issue \"x\"\n"); break;
                case 6: b.Append($"s{i} NS ns.example.net.\nw.s{i} CNAME www\n"); break;
                case 7: b.Append($"r{i} CNAME r{i - 7}.{pad}.example.com.example.com.\n"); break;
                default: b.Append($"*.w{i} CNAME h{i - 8}.{P(i - 8)}\nv{i} CNAME h{i - 1}.{P(i - 1)}\n"); break;
            }
        }

        return b.ToString();
    }

    [Theory]
    [MemberData(nameof(Edges))]
    public async Task An_audit_of_an_awkward_zone_reports_the_same_whether_it_keeps_everything_or_not(string name, string text)
    {
        _ = name;
        async Task<string> Audit(bool keepAll) =>
            ReportJson.Serialize(await Diagnosers.ZoneAsync(text, keepEveryRecord: keepAll, compactAbove: 0));

        Assert.Equal(await Audit(keepAll: true), await Audit(keepAll: false));
    }
}
