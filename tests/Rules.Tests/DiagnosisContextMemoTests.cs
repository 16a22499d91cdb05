using RulesApi.Dns.Names;
using RulesApi.Dns.ZoneFiles;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Tests;

/// <summary>
/// The diagnosis's memo: each fact is worked out once per key, whatever the number of keys of one type (a few are listed,
/// many are hashed) and however many callers race for it.
/// </summary>
public sealed class DiagnosisContextMemoTests
{
    [Fact]
    public async Task Each_key_is_computed_once_below_and_beyond_the_listed_keys()
    {
        var context = NewContext();
        var computed = new int[40];
        var first = new Task<string>[computed.Length];
        for (var i = 0; i < computed.Length; i++)
        {
            first[i] = Fact(context, i, computed);
        }

        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < computed.Length; i++)
            {
                Assert.Same(first[i], Fact(context, i, computed));
                Assert.Equal($"fact {i}", await first[i]);
            }
        }

        Assert.All(computed, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task A_key_types_default_value_and_its_other_values_are_different_facts()
    {
        var context = NewContext();
        var computed = new int[2];
        Assert.Equal("fact 0", await Fact(context, 0, computed));
        Assert.Equal("fact 1", await Fact(context, 1, computed));
        Assert.Equal("fact 0", await Fact(context, 0, computed));
        Assert.Equal([1, 1], computed);
    }

    [Fact]
    public async Task Callers_racing_for_the_same_keys_share_one_computation_each()
    {
        var context = NewContext();
        var computed = new int[20];
        var started = new ManualResetEventSlim();
        var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            started.Wait();
            return Enumerable.Range(0, computed.Length).Select(i => Fact(context, i, computed)).ToList();
        })).ToList();
        started.Set();
        var seen = await Task.WhenAll(callers);

        Assert.All(computed, count => Assert.Equal(1, count));
        for (var i = 0; i < computed.Length; i++)
        {
            Assert.All(seen, tasks => Assert.Same(seen[0][i], tasks[i]));
        }
    }

    private static Task<string> Fact(DiagnosisContext context, int number, int[] computed) =>
        context.Memo(new NumberKey(number), (number, computed), static s =>
        {
            Interlocked.Increment(ref s.computed[s.number]);
            return Task.FromResult($"fact {s.number}");
        });

    private static DiagnosisContext NewContext()
    {
        var apex = DnsName.Parse("example.com.");
        var parsed = MasterFileParser.Parse("$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n", new ZoneParserOptions { Origin = apex });
        var zone = ZoneInput.From(parsed, apex);
        return new DiagnosisContext(new Subject([apex], Subject.AmazonIdentities), new Dns.Views.ZoneView(zone.Data), zone);
    }

    private readonly record struct NumberKey(int Number);
}
