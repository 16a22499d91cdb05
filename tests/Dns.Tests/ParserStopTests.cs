using System.Text;
using RulesApi.Dns.Names;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Dns.Tests;

/// <summary>What stops the reading of a large zone: the cancellation token, or the clock's say-so when a deadline's timer is late.</summary>
public sealed class ParserStopTests
{
    private static string Zone(int records)
    {
        var text = new StringBuilder("$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n");
        for (var i = 0; i < records; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"h{i} A 192.0.2.2\n");
        }

        return text.ToString();
    }

    [Fact]
    public void Reading_stops_when_the_deadline_has_passed_even_if_no_token_was_cancelled()
    {
        var asked = 0;
        var options = new ZoneParserOptions { Origin = DnsName.Parse("example.com."), Expired = () => ++asked >= 2 };

        Assert.Throws<OperationCanceledException>(() => MasterFileParser.Parse(Zone(20_000), options));
        Assert.Equal(2, asked);
    }

    [Fact]
    public void A_deadline_not_passed_reads_the_whole_zone()
    {
        var asked = 0;
        var parsed = MasterFileParser.Parse(Zone(20_000), new ZoneParserOptions { Origin = DnsName.Parse("example.com."), Expired = () => ++asked < 0 });

        Assert.Equal(20_003, parsed.RecordCount);
        Assert.True(asked > 0, "the clock was never asked");
    }
}
