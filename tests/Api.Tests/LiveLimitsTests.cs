using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RulesApi.Dns.Live;
using RulesApi.Fixtures;
using RulesApi.FixtureServer;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;
using Xunit.Abstractions;

namespace RulesApi.Api.Tests;

/// <summary>
/// The caps of a live diagnosis, over the loopback fixture server: a delegation to 1,000 server
/// addresses (50 NS names with 20 addresses each, one of them listening) and a 100-long CNAME chain.
/// The assertions are counts and generous upper bounds, never tight timings.
/// </summary>
public sealed class LiveLimitsTests(ServiceFactory factory, ITestOutputHelper output) : IClassFixture<ServiceFactory>
{
    private const int NameServers = 50;
    private const int AddressesEach = 20;

    /// <summary>The i-th address of the big NS set: 127.0.20.1 onwards; the very first is 127.0.10.3, which serves example.com.</summary>
    private static IPAddress AddressOf(int i) => i == 0 ? IPAddress.Parse("127.0.10.3") : IPAddress.Parse($"127.0.{20 + (i / 250)}.{(i % 250) + 1}");

    /// <summary>
    /// example.com is delegated to ns0…ns49.hosting.net, each with 20 addresses in hosting.net (out of
    /// bailiwick, so every address set is its own small answer). www.example.org is the head of a CNAME
    /// chain of 100 that alternates between example.net and example.org, so that no server can chase it
    /// on its own and the resolver meets every link.
    /// </summary>
    public static FixtureScenario Scenario()
    {
        const string Soa = "$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n";
        var healthy = FixtureScenario.BuiltIn["healthy"].Files;
        var com = "$TTL 86400\n@ SOA ns.tld-servers.test. nstld.test. 1 1800 900 604800 86400\n@ NS ns.tld-servers.test.\n" +
            string.Concat(Enumerable.Range(0, NameServers).Select(n => $"example.com. NS ns{n}.hosting.net.\n"));
        var net = "$TTL 86400\n@ SOA ns.tld-servers.test. nstld.test. 1 1800 900 604800 86400\n@ NS ns.tld-servers.test.\n" +
            "hosting.net. NS ns1.hosting.net.\nns1.hosting.net. A 127.0.10.6\nexample.net. NS ns1.example.net.\nns1.example.net. A 127.0.10.5\n";
        var org = "$TTL 86400\n@ SOA ns.tld-servers.test. nstld.test. 1 1800 900 604800 86400\n@ NS ns.tld-servers.test.\n" +
            "example.org. NS ns1.example.org.\nns1.example.org. A 127.0.10.4\n";
        var hosting = new StringBuilder(Soa + "@ NS ns1\nns1 A 127.0.10.6\n");
        for (var n = 0; n < NameServers; n++)
        {
            for (var a = 0; a < AddressesEach; a++)
            {
                hosting.Append($"ns{n} A {AddressOf((n * AddressesEach) + a)}\n");
            }
        }

        var exampleCom = Soa.Replace("ns1 hostmaster", "ns0.hosting.net. hostmaster", StringComparison.Ordinal) + "@ CAA 0 issue \"amazon.com\"\nwww A 192.0.2.11\n" +
            string.Concat(Enumerable.Range(0, NameServers).Select(n => $"@ NS ns{n}.hosting.net.\n"));
        var exampleOrg = new StringBuilder(Soa + "@ NS ns1\nns1 A 127.0.10.4\n@ CAA 0 issue \"amazon.com\"\nwww CNAME c1.example.net.\n");
        var exampleNet = new StringBuilder(Soa + "@ NS ns1\nns1 A 127.0.10.5\n");
        for (var i = 1; i < 100; i++)
        {
            (i % 2 == 1 ? exampleNet : exampleOrg).Append($"c{i} CNAME c{i + 1}.{(i % 2 == 1 ? "example.org." : "example.net.")}\n");
        }

        exampleOrg.Append("c100 A 192.0.2.100\n");
        return FixtureScenario.Load("caps", new Dictionary<string, string>
        {
            ["root.zone"] = healthy["root.zone"],
            ["com.zone"] = com,
            ["net.zone"] = net,
            ["org.zone"] = org,
            ["hosting.net.zone"] = hosting.ToString(),
            ["example.com.zone"] = exampleCom,
            ["example.org.zone"] = exampleOrg.ToString(),
            ["example.net.zone"] = exampleNet.ToString(),
            ["scenario.json"] = """{"description": "1,000 server addresses and a 100-long CNAME chain", "domains": ["www.example.com", "www.example.org"], "expect": {"must": [], "mustNot": []}}""",
        });
    }

    /// <summary>Only the scenario's real servers listen; the other 999 addresses of example.com stay silent.</summary>
    private static FixtureDnsServer Serve() => FixtureDnsServer.Start(Scenario(), listen: address => address.ToString().StartsWith("127.0.10.", StringComparison.Ordinal));

    private async Task<(DiagnosisReport Report, TimeSpan Took)> Diagnose(FixtureDnsServer server, LiveDnsOptions options)
    {
        var diagnoser = new Diagnoser(factory.Services.GetRequiredService<RuleEngine>(), RuleProfile.Default, options);
        var clock = Stopwatch.StartNew();
        var report = await diagnoser.RunAsync(Diagnoser.ScenarioDefaults(new DiagnosisRequest(new DiagnosisInput.Live()), server.Scenario), CancellationToken.None);
        output.WriteLine($"{report.Queries!.Count} queries, {clock.ElapsedMilliseconds} ms");
        return (report, clock.Elapsed);
    }

    [Fact]
    public async Task A_thousand_server_addresses_and_a_hundred_cnames_stay_within_the_caps()
    {
        using var server = Serve();
        // A second per query: the real servers must answer in time even while the rest of the suite
        // loads both cores (at 300 ms the root's answer was sometimes late, and nothing past it was asked).
        var options = server.LiveOptions(queryTimeoutMs: 1000);
        options.DeadlineSeconds = 20;

        var (report, _) = await Diagnose(server, options);

        var queries = report.Queries!;
        Assert.InRange(queries.Count, 1, options.MaxQueries);
        // Of example.com's 1,000 addresses, at most the capped NS set is ever asked.
        var bigSet = Enumerable.Range(0, NameServers * AddressesEach).Select(i => $"{AddressOf(i)}:{server.Port}").ToHashSet();
        var asked = queries.Select(q => q.Server).Where(bigSet.Contains).Distinct().ToList();
        Assert.InRange(asked.Count, 1, options.MaxNameServerAddresses);
        // The chain is followed no further than the cap: c17 and beyond are never asked for.
        var links = queries.Where(q => q.Name.StartsWith('c') && (q.Name.EndsWith(".example.org.", StringComparison.Ordinal) || q.Name.EndsWith(".example.net.", StringComparison.Ordinal)))
            .Select(q => int.Parse(q.Name[1..q.Name.IndexOf('.', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(links);
        Assert.True(links.Max() <= options.MaxCnameChain, $"asked for c{links.Max()}");

        // Each cap that changed the outcome is a finding, and the verdicts are inconclusive rather than wrong.
        var caa = Assert.Single(report.Findings, f => f.RuleId == "CAA009" && f.Name == "www.example.org.");
        Assert.Contains("Dns:MaxCnameChain", caa.Message, StringComparison.Ordinal);
        var notAsked = Assert.Single(report.Findings, f => f.RuleId == "NS004" && f.MessageId == "servers-not-asked" && f.Name == "www.example.com.");
        Assert.Contains("example.com. is delegated to 50 name servers", notAsked.Message, StringComparison.Ordinal);
        Assert.Contains("Dns:MaxNameServerAddresses", notAsked.Message, StringComparison.Ordinal);
        Assert.All(report.Names, name => Assert.NotEqual(Verdict.Ok, name.Verdict));
    }

    [Fact]
    public async Task The_query_budget_holds_and_is_reported()
    {
        using var server = Serve();
        var options = server.LiveOptions(queryTimeoutMs: 300);
        options.MaxQueries = 25;

        var (report, _) = await Diagnose(server, options);

        Assert.InRange(report.Queries!.Count, 1, 25);
        Assert.Contains(report.Findings, f => f.Inconclusive && f.Message.Contains("Dns:MaxQueries", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_deadline_is_kept_when_every_server_is_slow()
    {
        // Every answer is held back longer than the deadline: the diagnosis must answer at its deadline
        // and send nothing after it.
        using var server = FixtureDnsServer.Start(Scenario(), delay: TimeSpan.FromSeconds(3),
            listen: address => address.ToString().StartsWith("127.0.10.", StringComparison.Ordinal));
        var options = server.LiveOptions(queryTimeoutMs: 5000);
        options.DeadlineSeconds = 1;

        var (report, took) = await Diagnose(server, options);

        Assert.True(took < TimeSpan.FromSeconds(15), $"took {took}");
        Assert.All(report.Names, name => Assert.Equal(Verdict.Inconclusive, name.Verdict));
        Assert.Contains(report.Findings, f => f.Message.Contains("deadline", StringComparison.Ordinal));
        // No query is logged as a 0 ms timeout: cancelled queries are not answers.
        Assert.DoesNotContain(report.Queries!, q => q.Outcome.StartsWith("timeout", StringComparison.Ordinal) && q.Milliseconds < 100);
    }
}
