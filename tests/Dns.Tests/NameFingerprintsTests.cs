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

    [Fact]
    public void Rare_types_are_kept_exactly_beside_common_ones_wherever_the_name_recurs()
    {
        // The common types have a bit of their own in 16; the others go to a side table. A name with both, seen
        // in several chunks, must still list exactly its types, and a name with only common types none besides.
        var apex = DnsName.Parse("example.com.");
        var fingerprints = new NameFingerprints();
        fingerprints.Add(DnsName.Parse("mixed.example.com."), RecordType.A, apex);
        fingerprints.Add(DnsName.Parse("mixed.example.com."), new RecordType(13), apex); // HINFO: no bit of its own
        for (var i = 0; i < 100_000; i++)
        {
            fingerprints.Add($"filler{i}.example.com.", 2, RecordType.AAAA, apex);
        }

        fingerprints.Add(DnsName.Parse("MIXED.example.com."), new RecordType(52), apex); // TLSA, in a later chunk
        fingerprints.Add(DnsName.Parse("mixed.example.com."), RecordType.TXT, apex);
        fingerprints.Add(DnsName.Parse("plain.example.com."), RecordType.MX, apex);
        fingerprints.Add(DnsName.Parse("plain.example.com."), new RecordType(65), apex); // HTTPS: "other" (bit 63)
        fingerprints.Complete();

        Assert.Equal([RecordType.A, new RecordType(13), RecordType.TXT, new RecordType(52)],
            fingerprints.TypesAt(DnsName.Parse("mixed.example.com.")));
        Assert.True(fingerprints.Has(DnsName.Parse("mixed.example.com."), new RecordType(13)));
        Assert.False(fingerprints.Has(DnsName.Parse("mixed.example.com."), new RecordType(29)));
        Assert.Equal([RecordType.MX, new RecordType(ushort.MaxValue)], fingerprints.TypesAt(DnsName.Parse("plain.example.com.")));
        Assert.True(fingerprints.Has(DnsName.Parse("plain.example.com."), new RecordType(257)));
        Assert.Equal([RecordType.AAAA], fingerprints.TypesAt(DnsName.Parse("filler99999.example.com.")));
    }

    [Fact]
    public void Every_type_below_63_comes_back_as_itself()
    {
        var apex = DnsName.Parse("example.com.");
        var fingerprints = new NameFingerprints();
        for (ushort type = 1; type < 63; type++)
        {
            fingerprints.Add($"t{type}.example.com.", 2, new RecordType(type), apex);
            fingerprints.Add("all.example.com.", 2, new RecordType(type), apex);
        }

        fingerprints.Complete();

        for (ushort type = 1; type < 63; type++)
        {
            Assert.Equal([new RecordType(type)], fingerprints.TypesAt(DnsName.Parse($"t{type}.example.com.")));
        }

        Assert.Equal(Enumerable.Range(1, 62).Select(t => new RecordType((ushort)t)), fingerprints.TypesAt(DnsName.Parse("all.example.com.")));
    }
}
