using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.Tests;

/// <summary>A record keeps its location as two numbers: what goes in comes out, no location stays none, and equality still sees it.</summary>
public sealed class ResourceRecordLocationTests
{
    private static readonly DnsName Owner = DnsName.Parse("www.example.com.");
    private static readonly RecordData Data = new NameData(DnsName.Parse("target.example.net."));

    [Fact]
    public void A_location_given_is_the_location_read()
    {
        var record = new ResourceRecord(Owner, RecordType.CNAME, RecordClass.IN, 300, Data, new SourceLocation(12, 5));

        Assert.Equal(new SourceLocation(12, 5), record.Location);
        Assert.Equal(new SourceLocation(7, 1), (record with { Location = new SourceLocation(7, 1) }).Location);
    }

    [Fact]
    public void No_location_is_null_and_can_be_set_or_removed()
    {
        var without = new ResourceRecord(Owner, RecordType.CNAME, RecordClass.IN, 300, Data);

        Assert.Null(without.Location);
        Assert.Equal(new SourceLocation(0, 0), (without with { Location = new SourceLocation(0, 0) }).Location);
        Assert.Null((without with { Location = new SourceLocation(3, 3) } with { Location = null }).Location);
    }

    [Fact]
    public void Records_differing_only_in_location_are_not_equal()
    {
        var at12 = new ResourceRecord(Owner, RecordType.CNAME, RecordClass.IN, 300, Data, new SourceLocation(12, 5));

        Assert.Equal(at12, at12 with { });
        Assert.NotEqual(at12, at12 with { Location = new SourceLocation(12, 6) });
        Assert.NotEqual(at12, at12 with { Location = null });
    }
}
