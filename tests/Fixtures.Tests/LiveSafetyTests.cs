using System.Net;
using RulesApi.Dns.Live;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.FixtureServer;

namespace RulesApi.Fixtures.Tests;

/// <summary>
/// What the live view refuses to do, over the loopback fixture server: query addresses a delegation
/// names in private or special-purpose ranges.
/// </summary>
public sealed class LiveSafetyTests
{
    private static readonly DnsName Www = DnsName.Parse("www.example.com.");

    /// <summary>The fixture server's settings as production has them: private addresses refused.</summary>
    private static LiveDnsOptions Strict(FixtureDnsServer server)
    {
        var options = server.LiveOptions();
        options.AllowPrivateAddresses = false;
        return options;
    }

    [Fact]
    public async Task A_delegation_to_a_loopback_address_is_not_followed_unless_allowed()
    {
        using var server = FixtureDnsServer.Start(FixtureScenario.BuiltIn["healthy"]);
        // The root (configured, so trusted) is asked; it refers com to 127.0.10.2, which is loopback.
        var live = new LiveDnsView(Strict(server));

        var answer = await live.QueryAsync(Www, RecordType.CAA, CancellationToken.None);

        Assert.Equal(AnswerStatus.Failure, answer.Status);
        Assert.Contains("127.0.10.2", answer.Detail, StringComparison.Ordinal);
        Assert.Contains("loopback", answer.Detail, StringComparison.Ordinal);
        Assert.Contains("not asked", answer.Detail, StringComparison.Ordinal);
        Assert.NotEmpty(live.QueryLog);
        Assert.All(live.QueryLog, entry => Assert.Equal($"{server.RootAddress}:{server.Port}", entry.Server));
        Assert.Contains(live.LimitsReached, limit => limit.Contains("Dns:AllowPrivateAddresses", StringComparison.Ordinal));

        var allowed = await new LiveDnsView(server.LiveOptions()).QueryAsync(Www, RecordType.CAA, CancellationToken.None);
        Assert.NotEqual(AnswerStatus.Failure, allowed.Status);
    }

    [Fact]
    public async Task A_delegation_to_the_cloud_metadata_address_is_never_queried()
    {
        var files = FixtureScenario.BuiltIn["healthy"].Files.ToDictionary();
        files["root.zone"] = files["root.zone"].Replace("com.              NS  ns.tld-servers.test.", "com. NS ns.metadata.test.\nns.metadata.test. A 169.254.169.254\n", StringComparison.Ordinal);
        var scenario = FixtureScenario.Load("metadata", files);
        // Nothing serves 169.254.169.254: only the root's loopback address is bound.
        using var server = FixtureDnsServer.Start(scenario, listen: address => IPAddress.IsLoopback(address));
        var live = new LiveDnsView(Strict(server));

        var answer = await live.QueryAsync(Www, RecordType.CAA, CancellationToken.None);
        var direct = await live.AskServerAsync(new NameServerAddress(DnsName.Parse("ns.metadata.test."), IPAddress.Parse("169.254.169.254")),
            DnsName.Parse("com."), RecordType.SOA, CancellationToken.None);

        Assert.Equal(AnswerStatus.Failure, answer.Status);
        Assert.Contains("169.254.169.254 is a link-local", answer.Detail, StringComparison.Ordinal);
        Assert.Equal(AnswerStatus.Failure, direct.Answer.Status);
        Assert.Contains("ns.metadata.test (169.254.169.254) was not asked", direct.Answer.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(live.QueryLog, entry => entry.Server.StartsWith("169.254.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Glue_for_a_name_outside_the_delegated_zone_is_not_used_the_name_is_resolved_afresh()
    {
        // com delegates example.com to ns1.provider.com and, in the same referral, offers that name's
        // address from its provider.com delegation: glue outside example.com (sibling glue), which a
        // resolver by the book does not take for example.com; it asks for the address afresh.
        var files = FixtureScenario.BuiltIn["healthy"].Files.ToDictionary();
        files["com.zone"] = files["com.zone"].Replace("example.com. NS ns1.example.com.\nns1.example.com. A 127.0.10.3",
            "example.com. NS ns1.provider.com.\nprovider.com. NS ns1.provider.com.\nns1.provider.com. A 127.0.10.3", StringComparison.Ordinal);
        files["provider.com.zone"] = "$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 127.0.10.3\n";
        files["example.com.zone"] = files["example.com.zone"].Replace("@    NS  ns1.example.com.", "@    NS  ns1.provider.com.", StringComparison.Ordinal);
        using var server = FixtureDnsServer.Start(FixtureScenario.Load("sibling-glue", files));
        var live = new LiveDnsView(server.LiveOptions());

        var answer = await live.QueryAsync(DnsName.Parse("www.example.com."), RecordType.A, CancellationToken.None);

        Assert.Equal(AnswerStatus.Answer, answer.Status);
        // The address was asked for, from the top: com's referral to provider.com, then provider.com's own answer.
        Assert.Contains(live.QueryLog, entry => entry.Name == "ns1.provider.com." && entry.Type == "A" && entry.Authoritative);
    }
}
