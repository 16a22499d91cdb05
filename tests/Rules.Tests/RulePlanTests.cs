using RulesApi.Dns.Live;
using RulesApi.Dns.Names;
using RulesApi.Fixtures;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Tests;

/// <summary>The rules a diagnosis runs, grouped by family, and one engine's reuse of them across kinds of diagnosis.</summary>
public sealed class RulePlanTests
{
    private static readonly RuleCatalog Catalog = new(RuleCatalog.BuiltInRules());

    [Fact]
    public void A_plan_runs_the_marked_rules_in_the_catalogs_order_grouped_by_family_as_families_first_appear()
    {
        var applied = Catalog.Rules.Select((rule, index) => index % 3 != 1).ToArray();

        var plan = RulePlan.Of(Catalog.Rules, applied);

        var expected = Catalog.Rules.Where((rule, index) => applied[index]).ToList();
        Assert.Equal(expected, plan.Rules);
        Assert.Equal(expected.Select(rule => rule.Metadata.Id), plan.Ids);
        Assert.Equal(expected.Select(rule => rule.Metadata.Family).Distinct(), plan.ByFamily.Select(family => family.Family));
        foreach (var (family, rules) in plan.ByFamily)
        {
            Assert.Equal(expected.Where(rule => rule.Metadata.Family == family), rules);
        }

        Assert.All(Enumerable.Range(0, applied.Length), index => Assert.Equal(applied[index], plan.Runs(index)));
        Assert.True(plan.Matches(applied));
        applied[0] = !applied[0];
        Assert.False(plan.Matches(applied));
    }

    [Fact]
    public async Task One_engine_alternating_kinds_of_diagnosis_runs_the_rules_each_kind_runs_alone()
    {
        var zone = DiagnosisInput.ZoneText.FromString(
            "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 host 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n@ CAA 0 issue \"amazon.com\"\n", null);
        DiagnosisRequest[] requests =
        [
            new(zone) { Names = [DnsName.Parse("example.com.")] },
            new(new DiagnosisInput.Fixture(FixtureScenario.BuiltIn["healthy"])),
            new(zone),
        ];
        static Diagnoser Fresh() => new(new RuleEngine(Catalog), RuleProfile.Default, new LiveDnsOptions());

        var shared = Fresh();
        foreach (var round in Enumerable.Range(0, 2))
        {
            foreach (var request in requests)
            {
                var alone = await Fresh().RunAsync(request, CancellationToken.None);
                var after = await shared.RunAsync(request, CancellationToken.None);
                Assert.Equal(alone.RulesRun, after.RulesRun);
            }
        }

        // The kinds do run different rules, or this would show nothing.
        var runs = new List<IReadOnlyList<string>>();
        foreach (var request in requests)
        {
            runs.Add((await shared.RunAsync(request, CancellationToken.None)).RulesRun);
        }

        Assert.NotEqual(runs[0], runs[1]);
    }
}
