using System.Buffers;
using RulesApi.Dns.Live;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Tests;

/// <summary>
/// The name with the zone typed twice (VAL002) is told from a wildcard's answer by a probe beside it; when no probe fits
/// in a name, the doubled answer is not taken for a record. And the report writer, shared per thread, recovers from a
/// write that failed midway.
/// </summary>
public sealed class DoubledNameProbeTests
{
    private const string AcmToken = "_3f1a2b4c5d6e7f8091a2b3c4d5e6f708";
    private const string Value = "_9a8b7c6d5e4f30211a2b3c4d5e6f7081.abcdefghij.acm-validations.aws.";

    // A zone with a catch-all wildcard (common) and the domain as a real name, so the wildcard covers the name with the
    // zone typed twice (its closest encloser is the apex) but not the validation name itself.
    private static readonly string Domain = $"{new string('a', 60)}.{new string('b', 60)}.{new string('c', 60)}.{new string('d', 30)}.example.com";

    private static Task<DiagnosisReport> Run(string token, string domain)
    {
        var fields = new DiagnosisRequestFields
        {
            ZoneFile = "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 h 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n"
                + $"* CNAME lb.example.net.\n{domain}. A 192.0.2.2\n",
            Domains = [domain],
            ValidationRecords = [new ValidationRecordFields { Name = $"{token}.{domain}", Value = Value }],
        };
        var request = DiagnosisRequestParser.Parse(fields).Request!;
        return new Diagnoser(new RuleEngine(new RuleCatalog(RuleCatalog.BuiltInRules())), RuleProfile.Default, new LiveDnsOptions())
            .RunAsync(request, CancellationToken.None);
    }

    [Fact]
    public async Task Control_with_a_shorter_name_the_wildcard_is_told_apart_by_the_probe()
    {
        var report = await Run("_x", "shop.example.com");
        Assert.DoesNotContain(report.Findings, f => f.Inconclusive);

        Assert.DoesNotContain(report.Findings, f => f.RuleId == "VAL002");
    }

    [Fact]
    public async Task A_wildcard_is_not_taken_for_the_zone_typed_twice_when_the_probe_name_would_be_too_long()
    {
        // "_x.<domain>.example.com." fits in 255 octets (242), the probe beside it ("_rulesapi-probe-…", 28 octets in its
        // first label) does not (268): without the probe, the wildcard's answer must not be taken for a doubled record.
        var report = await Run("_x", Domain);

        Assert.DoesNotContain(report.Findings, f => f.RuleId == "VAL002" && !f.Inconclusive);
    }

    [Fact]
    public async Task A_report_written_after_a_write_that_threw_has_the_same_bytes()
    {
        var report = await Run(AcmToken, "shop.example.com");
        var expected = ReportJson.Serialize(report);

        Assert.Throws<InvalidOperationException>(() => ReportJson.Write(new Failing(), report));
        var buffer = new ArrayBufferWriter<byte>();
        ReportJson.Write(buffer, report);

        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>Gives 16 bytes once, then fails: a write stopped midway, with the writer deep in the report.</summary>
    private sealed class Failing : IBufferWriter<byte>
    {
        private int _asked;

        public void Advance(int count)
        {
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => ++_asked > 1 ? throw new InvalidOperationException("output failed") : new byte[Math.Max(16, sizeHint)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}
