using System.Globalization;
using System.Text;
using RulesApi.Dns.Names;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Dns.Tests;

/// <summary>The structural checks of a large zone: what they find, and in which order, whichever threads found it.</summary>
public sealed class ZoneIntegrityTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.com.");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_CNAME_beside_other_data_is_reported_in_file_order_in_a_zone_of_any_size(bool kept)
    {
        // 70k CNAMEs are checked in two halves at once; the problems still come in the order of the file, first half first.
        var text = new StringBuilder("$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n");
        int[] crowded = [69_000, 10, 40_000, 34_999, 35_000];
        for (var i = 0; i < 70_000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"c{i} CNAME t{i}.example.net.\n");
        }

        foreach (var i in crowded)
        {
            text.Append(CultureInfo.InvariantCulture, $"c{i} TXT \"beside\"\n");
        }

        var options = new ZoneParserOptions { Origin = Origin, Keep = kept ? null : type => type != Records.RecordType.TXT, CompactAbove = 0 };
        var parsed = MasterFileParser.Parse(text.ToString(), options);
        var problems = ZoneIntegrity.Check(parsed, ZoneData.Build(parsed, Origin));

        var names = problems.Where(p => p.Kind == ZoneProblemKind.CnameAndOtherData).Select(p => p.Name.Text).ToList();
        Assert.Equal(crowded.Order().Select(i => $"c{i}.example.com.").ToList(), names);
    }
}
