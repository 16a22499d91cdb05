using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;

namespace RulesApi.Fixtures.Tests;

public sealed class FixtureViewTests
{
    private static FixtureView View(string scenario) => new(FixtureScenario.BuiltIn[scenario]);

    [Fact]
    public void Every_built_in_scenario_loads_with_a_root_a_tld_and_the_customer_zone()
    {
        Assert.True(FixtureScenario.BuiltIn.Count >= 18, $"{FixtureScenario.BuiltIn.Count} scenarios");
        Assert.All(FixtureScenario.BuiltIn.Values, scenario =>
        {
            var apexes = scenario.Zones.Select(z => z.Apex.Text).ToList();
            Assert.Contains(".", apexes);
            Assert.Contains("com.", apexes);
            Assert.Contains("example.com.", apexes);
            Assert.NotEmpty(scenario.Metadata.Domains);
        });
    }

    [Fact]
    public void A_cname_is_followed_into_the_zone_that_holds_its_target()
    {
        var answer = View("caa-through-cdn-cname").Resolve(DnsName.Parse("shop.example.com."), RecordType.CAA);

        Assert.Equal(AnswerStatus.Answer, answer.Status);
        Assert.Equal("edge.cdn-example.net.", answer.FinalName.Text);
        Assert.Equal([RecordType.CNAME, RecordType.CAA], answer.Records.Select(r => r.Type));
    }

    [Fact]
    public void A_cname_into_a_zone_the_scenario_lacks_is_not_checkable()
    {
        var answer = View("caa-cname-unknown-zone").Resolve(DnsName.Parse("shop.example.com."), RecordType.CAA);

        Assert.Equal(AnswerStatus.NotCheckable, answer.Status);
        Assert.Single(answer.CnameChain);
    }

    [Fact]
    public void Names_are_answered_by_the_deepest_zone_that_holds_them()
    {
        var view = View("healthy");

        Assert.Equal(AnswerStatus.Answer, view.Resolve(DnsName.Parse("example.com."), RecordType.CAA).Status);
        Assert.Equal(AnswerStatus.NoData, view.Resolve(DnsName.Parse("com."), RecordType.CAA).Status);
        Assert.Equal(AnswerStatus.NameError, view.Resolve(DnsName.Parse("nope.example.com."), RecordType.A).Status);
        Assert.Equal(AnswerStatus.NameError, view.Resolve(DnsName.Parse("example.invalid."), RecordType.A).Status);
        Assert.Equal(AnswerStatus.NotCheckable, view.Resolve(DnsName.Parse("example.org."), RecordType.A).Status);
    }
}
