using RulesApi.Dns.Live;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.FixtureServer;

namespace RulesApi.Fixtures.Tests;

/// <summary>
/// Live diagnoses that share a cache, over the loopback fixture server: the second one starts below the
/// root with what the first learned of the zones above the customer's, and still asks the customer's
/// own zone everything afresh.
/// </summary>
public sealed class SharedCacheLiveTests
{
    private static readonly DnsName Www = DnsName.Parse("www.example.com.");

    [Theory]
    [InlineData("healthy")]
    [InlineData("sec-signed")]
    public async Task A_warm_diagnosis_takes_the_TLD_delegation_and_keys_from_the_cache_and_asks_the_customers_zone_afresh(string scenarioName)
    {
        using var server = FixtureDnsServer.Start(FixtureScenario.BuiltIn[scenarioName]);
        var options = server.LiveOptions();
        var shared = new SharedDnsCache(options);
        var root = $"{server.RootAddress}:{server.Port}";

        var cold = new LiveDnsView(options, shared);
        var coldAnswer = await cold.QueryAsync(Www, RecordType.CAA, CancellationToken.None);
        var coldKeys = await cold.QueryAsync(DnsName.Parse("com."), RecordType.DNSKEY, CancellationToken.None);
        var warm = new LiveDnsView(options, shared);
        var warmAnswer = await warm.QueryAsync(Www, RecordType.CAA, CancellationToken.None);
        var warmKeys = await warm.QueryAsync(DnsName.Parse("com."), RecordType.DNSKEY, CancellationToken.None);

        Assert.DoesNotContain(cold.QueryLog, entry => entry.Cached == true);
        Assert.Contains(cold.QueryLog, entry => entry.Server == root);
        // Nothing is sent to the root the second time; the delegation of com and its keys are marked as cached.
        Assert.DoesNotContain(warm.QueryLog, entry => entry.Server == root);
        Assert.Contains(warm.QueryLog, entry => entry is { Cached: true, Name: "com.", Type: "NS", Server: SharedDnsCache.LogServer });
        Assert.Contains(warm.QueryLog, entry => entry is { Cached: true, Name: "com.", Type: "DNSKEY" });
        // The customer's zone is asked again, of its own server, and answers the same.
        Assert.Contains(warm.QueryLog, entry => entry.Name == "www.example.com." && entry.Type == "CAA" && entry.Cached is null);
        Assert.DoesNotContain(warm.QueryLog, entry => entry.Cached == true && DnsName.Parse(entry.Name).IsSubdomainOf(DnsName.Parse("example.com.")));
        Assert.Equal(coldAnswer.Status, warmAnswer.Status);
        Assert.Equal(coldAnswer.Records.Select(r => r.ToString()), warmAnswer.Records.Select(r => r.ToString()));
        Assert.Equal(coldKeys.Status, warmKeys.Status);
        Assert.Equal(coldKeys.Records.Select(r => r.ToString()), warmKeys.Records.Select(r => r.ToString()));
    }

    [Fact]
    public async Task Without_a_shared_cache_every_diagnosis_starts_at_the_root()
    {
        using var server = FixtureDnsServer.Start(FixtureScenario.BuiltIn["healthy"]);
        var options = server.LiveOptions();
        options.SharedCacheEntries = 0;
        var shared = new SharedDnsCache(options);

        await new LiveDnsView(options, shared).QueryAsync(Www, RecordType.CAA, CancellationToken.None);
        var second = new LiveDnsView(options, shared);
        await second.QueryAsync(Www, RecordType.CAA, CancellationToken.None);

        Assert.Contains(second.QueryLog, entry => entry.Server == $"{server.RootAddress}:{server.Port}");
        Assert.DoesNotContain(second.QueryLog, entry => entry.Cached == true);
    }
}
