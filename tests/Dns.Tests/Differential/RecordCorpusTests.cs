using System.Collections.Concurrent;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Dns.Tests.Differential;

/// <summary>
/// The one-record corpus (<c>Differential/records.txt</c>): every line becomes the fifth line of a zone
/// after an SOA, an NS and its address, and <c>named-checkzone -i local</c> and our parser must agree on it
/// — both load it (reading the same records, for the types we model), or both refuse it with our first
/// error on the line BIND names. A line marked <c>#!differs: reason</c> is a known, explained difference:
/// the test requires that we still differ, so a fix shows up as a failure that asks to drop the mark.
/// </summary>
public sealed class RecordCorpusTests
{
    private const string Head = "$TTL 300\n@ SOA ns1 hostmaster 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n";
    private static readonly DnsName Origin = DnsName.Parse("example.com.");
    private static readonly string CorpusPath = Path.Combine(AppContext.BaseDirectory, "Differential", "records.txt");

    private sealed record Entry(string Record, string? Difference, int FileLine);

    private static readonly Lazy<IReadOnlyList<Entry>> Corpus = new(ReadCorpus);

    // named-checkzone takes a quarter of a second to start; the corpus is run through it a few at a time, once.
    private static readonly Lazy<IReadOnlyDictionary<string, (int ExitCode, string Output, string Dump)>> BindVerdicts = new(RunBindOnCorpus);

    public static TheoryData<string> Records()
    {
        var data = new TheoryData<string>();
        foreach (var entry in Corpus.Value)
        {
            data.Add(entry.Record);
        }

        return data;
    }

    [Fact]
    public void The_corpus_covers_every_type_with_at_least_400_zones()
    {
        var entries = Corpus.Value;
        Assert.True(entries.Count >= 400, $"only {entries.Count} one-record zones in records.txt");
        Assert.Equal(entries.Count, entries.Select(e => e.Record).Distinct(StringComparer.Ordinal).Count());

        var typesSeen = entries.Select(e => TypeOf(e.Record)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // Every data type BIND 9.18 reads in a zone file (lib/dns/rdata), and the meta types it refuses.
        string[] bindTypes =
        [
            "A", "NS", "MD", "MF", "CNAME", "SOA", "MB", "MG", "MR", "NULL", "WKS", "PTR", "HINFO", "MINFO", "MX", "TXT", "RP",
            "AFSDB", "X25", "ISDN", "RT", "NSAP", "NSAP-PTR", "SIG", "KEY", "PX", "GPOS", "AAAA", "LOC", "NXT", "EID", "NIMLOC",
            "SRV", "ATMA", "NAPTR", "KX", "CERT", "A6", "DNAME", "SINK", "APL", "DS", "SSHFP", "IPSECKEY", "RRSIG", "NSEC",
            "DNSKEY", "DHCID", "NSEC3", "NSEC3PARAM", "TLSA", "SMIMEA", "HIP", "NINFO", "RKEY", "TALINK", "CDS", "CDNSKEY",
            "OPENPGPKEY", "CSYNC", "ZONEMD", "SVCB", "HTTPS", "DSYNC", "SPF", "UNSPEC", "NID", "L32", "L64", "LP", "EUI48",
            "EUI64", "URI", "CAA", "DOA", "AMTRELAY", "RESINFO", "WALLET", "AVC", "TA", "DLV", "OPT", "TSIG", "TKEY",
        ];
        var missing = bindTypes.Where(t => !typesSeen.Contains(t)).ToList();
        Assert.True(missing.Count == 0, "records.txt has no line of " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(Records))]
    public void Same_verdict_and_error_line_as_named_checkzone(string record)
    {
        var entry = Corpus.Value.First(e => e.Record == record);
        var (exitCode, output, dump) = BindVerdicts.Value[record];
        var bindAccepts = exitCode == 0;
        var bindLine = bindAccepts ? null : BindDifferentialTests.FirstBindErrorLine(output, "zone");

        var text = Head + record + "\n";
        var parsed = MasterFileParser.Parse(text, new ZoneParserOptions { Origin = Origin });
        var problems = ZoneIntegrity.Check(parsed, ZoneData.Build(parsed, Origin));
        var ourErrors = parsed.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => (int?)d.Location.Line)
            .Concat(problems.Where(p => p.Severity == DiagnosticSeverity.Error).Select(p => p.Location?.Line))
            .ToList();
        var weAccept = ourErrors.Count == 0;
        var agree = bindAccepts == weAccept && (weAccept || bindLine is null || ourErrors[0] == bindLine);
        var story = $"records.txt line {entry.FileLine}: {record}\n" +
                    $"named-checkzone {(bindAccepts ? "accepts" : "refuses")} it{(bindLine is { } l ? $" (line {l})" : "")}; we {(weAccept ? "accept" : $"refuse (line {ourErrors[0]})")}.\n" +
                    $"BIND said:\n{output}\nWe said:\n{string.Join('\n', parsed.Diagnostics.Select(d => d.ToString()).Concat(problems.Select(p => p.Message)))}";

        if (entry.Difference is { } reason)
        {
            Assert.False(agree, $"marked as differing from BIND ({reason}), but we now agree: remove the '#!differs' mark.\n{story}");
            return;
        }

        Assert.True(agree, story);
        if (bindAccepts)
        {
            AssertSameModelledRecords(dump, parsed);
        }
    }

    /// <summary>For the types we model, the record we read must be the one BIND dumps (<c>-D</c>): same fields after decoding.</summary>
    private static void AssertSameModelledRecords(string dump, ParsedZone parsed)
    {
        var bind = MasterFileParser.Parse(dump, new ZoneParserOptions { Origin = Origin });
        Assert.DoesNotContain(bind.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        // NSEC3 records live in BIND's separate NSEC3 tree, which -D does not dump.
        static bool Modelled(ResourceRecord r) => r.Data is not (UnparsedData or GenericData) && r.Type != RecordType.NSEC3;
        Assert.Equal(BindDifferentialTests.Normalise(bind.Records.Where(Modelled)), BindDifferentialTests.Normalise(parsed.Records.Where(Modelled)));
    }

    private static string TypeOf(string record)
    {
        var fields = record.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 1 ? fields[1] : "";
    }

    private static IReadOnlyList<Entry> ReadCorpus()
    {
        var entries = new List<Entry>();
        string? difference = null;
        var lines = File.ReadAllLines(CorpusPath);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("#!differs:", StringComparison.Ordinal))
            {
                difference = line["#!differs:".Length..].Trim();
            }
            else if (line.Length > 0 && !line.StartsWith('#'))
            {
                entries.Add(new Entry(line, difference, i + 1));
                difference = null;
            }
        }

        return entries;
    }

    private static IReadOnlyDictionary<string, (int, string, string)> RunBindOnCorpus()
    {
        var verdicts = new ConcurrentDictionary<string, (int, string, string)>(StringComparer.Ordinal);
        Parallel.ForEach(Corpus.Value, new ParallelOptions { MaxDegreeOfParallelism = 4 }, entry =>
        {
            var path = Path.Combine(Path.GetTempPath(), $"rulesapi-corpus-{Guid.NewGuid():N}.zone");
            var dump = path + ".dump";
            try
            {
                File.WriteAllText(path, Head + entry.Record + "\n");
                var (exitCode, output) = BindDifferentialTests.RunNamedCheckzone(path, dump);
                verdicts[entry.Record] = (exitCode, output, exitCode == 0 ? File.ReadAllText(dump) : "");
            }
            finally
            {
                File.Delete(path);
                File.Delete(dump);
            }
        });
        return verdicts;
    }
}
