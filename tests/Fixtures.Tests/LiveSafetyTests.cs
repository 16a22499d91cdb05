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
}
