using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Dns.Tests;

/// <summary>
/// The owners of records a zone audit does not keep are held as fingerprints in sorted chunks: a name
/// whose records are far apart in the file (so in different chunks) still has all its types, and the
/// names between an owner and the apex exist.
/// </summary>
public sealed class NameFingerprintsTests
{
    [Fact]
    public void A_name_seen_again_after_many_others_has_the_types_of_both_places()
    {
        var apex = DnsName.Parse("example.com.");
        var fingerprints = new NameFingerprints();
        fingerprints.Add(DnsName.Parse("www.example.com."), RecordType.A, apex);
        for (var i = 0; i < 200_000; i++)
        {
            fingerprints.Add($"host{i}.example.com.", 2, RecordType.TXT, apex);
        }

        fingerprints.Add(DnsName.Parse("WWW.example.com."), RecordType.MX, apex);
        fingerprints.Add(DnsName.Parse("a.b.deep.example.com."), RecordType.AAAA, apex);
        fingerprints.Complete();

        Assert.Equal([RecordType.A, RecordType.MX], fingerprints.TypesAt(DnsName.Parse("www.example.com.")));
        Assert.True(fingerprints.Has(DnsName.Parse("host199999.example.com."), RecordType.TXT));
        Assert.False(fingerprints.Has(DnsName.Parse("host199999.example.com."), RecordType.A));
        Assert.True(fingerprints.HasTypesBesides(DnsName.Parse("www.example.com."), RecordType.RRSIG, RecordType.NSEC));
        Assert.True(fingerprints.Contains(DnsName.Parse("b.deep.example.com.")));
        Assert.True(fingerprints.Contains(DnsName.Parse("deep.example.com.")));
        Assert.Empty(fingerprints.TypesAt(DnsName.Parse("deep.example.com.")));
        Assert.False(fingerprints.Contains(DnsName.Parse("host200000.example.com.")));
    }

    [Fact]
    public void Every_name_added_is_found_whichever_chunk_holds_it()
    {
        // The filter in front of each chunk may let a missing name through to the search, never turn away one that is there.
        var apex = DnsName.Parse("example.com.");
        var fingerprints = new NameFingerprints();
        for (var i = 0; i < 300_000; i++)
        {
            fingerprints.Add($"n{i}.example.com.", 2, i % 2 == 0 ? RecordType.A : RecordType.TXT, apex);
        }

        fingerprints.Complete();

        var missed = Enumerable.Range(0, 300_000).Where(i => !fingerprints.Has(DnsName.Parse($"n{i}.example.com."), i % 2 == 0 ? RecordType.A : RecordType.TXT)).ToList();
        Assert.Empty(missed);
        Assert.DoesNotContain(Enumerable.Range(300_000, 1000), i => fingerprints.Contains(DnsName.Parse($"n{i}.example.com.")));
    }
}
