using RulesApi.Dns.Names;
using RulesApi.Dns.Tests.Differential;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Dns.Tests;

/// <summary>
/// Files are read a block of whole lines at a time. Reading every differential zone with blocks of a
/// few characters — boundaries inside entries, parentheses and quotes — must give exactly what reading
/// it whole gives.
/// </summary>
public sealed class BlockReadingTests
{
    [Theory]
    [MemberData(nameof(CorpusZones.Names), MemberType = typeof(CorpusZones))]
    public void Tiny_blocks_read_the_same_as_one_block(string file)
    {
        var text = File.ReadAllText(CorpusZones.PathOf(file));
        var options = new ZoneParserOptions { Origin = DnsName.Parse("example.com.") };
        var whole = Describe(MasterFileParser.Parse(text, options));

        foreach (var blockSize in new[] { 1, 3, 7, 64 })
        {
            Assert.Equal(whole, Describe(MasterFileParser.Parse(new StringReader(text), options, blockSize)));
        }
    }

    [Fact]
    public void A_nul_in_a_later_block_stops_reading_there()
    {
        var text = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\nwww A 192.0.2.1\nbad\0line\nafter A 192.0.2.2\n";
        var zone = MasterFileParser.Parse(new StringReader(text), new ZoneParserOptions { Origin = DnsName.Parse("example.com.") }, 8);

        Assert.Equal(2, zone.Records.Count);
        var stop = Assert.Single(zone.Diagnostics);
        Assert.Equal((4, 4), (stop.Location.Line, stop.Location.Column));
    }

    private static string Describe(ParsedZone zone) =>
        string.Join('\n', zone.Records.Select(r => $"{r.Location} {r.ToZoneLine()}")
            .Concat(zone.Diagnostics.Select(d => d.ToString()))
            .Append($"lines={zone.LineCount} origin={zone.Origin}"));
}
