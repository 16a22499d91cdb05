using System.Net;
using RulesApi.Dns.Live;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Dns.Tests;

/// <summary>What the cache shared by live diagnoses keeps, for how long, and what it never keeps.</summary>
public sealed class SharedDnsCacheTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static ResourceRecord Record(string text) =>
        MasterFileParser.Parse(text + "\n", new ZoneParserOptions { Origin = DnsName.Root }).Records.Single();

    private static Delegation DelegationOf(string cut) =>
        new(DnsName.Parse(cut), [DnsName.Parse("ns.nic.test.")], [new NameServerAddress(DnsName.Parse("ns.nic.test."), IPAddress.Parse("192.0.2.1"))],
            [IPAddress.Parse("192.0.2.1")], null);

    private static DnsAnswer Keys(string zone, uint ttl)
    {
        var name = DnsName.Parse(zone);
        var key = Record($"{zone} {ttl} IN DNSKEY 257 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3");
        return new DnsAnswer(name, RecordType.DNSKEY, AnswerStatus.Answer, [key], name);
    }

    [Theory]
    [InlineData(".", true)]
    [InlineData("com.", true)]
    [InlineData("co.uk.", true)]
    [InlineData("example.com.", false)]
    [InlineData("example.co.uk.", false)]
    [InlineData("www.example.com.", false)]
    public void Only_the_root_TLDs_and_configured_registry_zones_are_shared(string zone, bool shared)
    {
        var cache = new SharedDnsCache(new LiveDnsOptions { SharedCacheZones = ["co.uk"] });

        Assert.Equal(shared, cache.IsShared(DnsName.Parse(zone)));
    }

    [Fact]
    public void The_customers_zone_is_never_kept_even_when_offered()
    {
        var cache = new SharedDnsCache(new LiveDnsOptions());

        cache.Keep(DelegationOf("example.com."), 86_400);
        cache.Keep(Keys("example.com.", 3600));

        Assert.Null(cache.Referral(DnsName.Parse("example.com.")));
        Assert.Null(cache.Answer(DnsName.Parse("example.com."), RecordType.DNSKEY));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void A_delegation_is_kept_for_its_TTL_and_no_longer()
    {
        var clock = new ManualClock();
        var cache = new SharedDnsCache(new LiveDnsOptions(), clock);
        cache.Keep(DelegationOf("com."), 300);

        clock.Now += TimeSpan.FromSeconds(299);
        Assert.NotNull(cache.Referral(DnsName.Parse("com.")));
        clock.Now += TimeSpan.FromSeconds(1);
        Assert.Null(cache.Referral(DnsName.Parse("com.")));
    }

    [Fact]
    public void A_TTL_above_the_configured_maximum_is_cut_to_it()
    {
        var clock = new ManualClock();
        var cache = new SharedDnsCache(new LiveDnsOptions { SharedCacheMaxTtlSeconds = 60 }, clock);
        cache.Keep(Keys("com.", 86_400));

        clock.Now += TimeSpan.FromSeconds(59);
        Assert.NotNull(cache.Answer(DnsName.Parse("com."), RecordType.DNSKEY));
        clock.Now += TimeSpan.FromSeconds(1);
        Assert.Null(cache.Answer(DnsName.Parse("com."), RecordType.DNSKEY));
    }

    [Fact]
    public void Only_keys_DS_and_signatures_are_kept_not_other_answers_about_a_shared_zone()
    {
        var cache = new SharedDnsCache(new LiveDnsOptions());
        var name = DnsName.Parse("com.");
        var caa = new DnsAnswer(name, RecordType.CAA, AnswerStatus.Answer, [Record("com. 3600 IN CAA 0 issue \"ca.test\"")], name);

        cache.Keep(caa);

        Assert.Null(cache.Answer(name, RecordType.CAA));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void The_cache_stays_within_its_size_dropping_what_expires_first()
    {
        var cache = new SharedDnsCache(new LiveDnsOptions { SharedCacheEntries = 4 });
        var tlds = Enumerable.Range(0, 20).Select(i => $"tld{i}.").ToList();
        foreach (var (tld, i) in tlds.Select((tld, i) => (tld, i)))
        {
            cache.Keep(DelegationOf(tld), (uint)(100 + i));
            Assert.True(cache.Count <= 4, $"{cache.Count} entries after {i + 1} kept");
        }

        // The latest delegations (the longest-lived) are the ones still held.
        Assert.NotNull(cache.Referral(DnsName.Parse("tld19.")));
        Assert.Null(cache.Referral(DnsName.Parse("tld0.")));
    }

    [Fact]
    public void A_size_of_zero_turns_the_cache_off()
    {
        var cache = new SharedDnsCache(new LiveDnsOptions { SharedCacheEntries = 0 });

        cache.Keep(DelegationOf("com."), 300);

        Assert.False(cache.IsShared(DnsName.Parse("com.")));
        Assert.Null(cache.Referral(DnsName.Parse("com.")));
    }
}
