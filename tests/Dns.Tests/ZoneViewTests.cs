using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Dns.Tests;

public sealed class ZoneViewTests
{
    private static readonly DnsName Apex = DnsName.Parse("example.com.");

    private static ZoneView View(string text) =>
        new(ZoneData.Build(MasterFileParser.Parse(text.ReplaceLineEndings("\n"), new ZoneParserOptions { Origin = Apex }), Apex));

    private static DnsAnswer Ask(ZoneView view, string name, RecordType type) => view.Resolve(DnsName.Parse(name), type);

    private const string Zone = """
        $TTL 300
        @ SOA ns1 h 1 2 3 4 5
        @ NS ns1
        ns1 A 192.0.2.1
        a.b.c A 192.0.2.2
        *.w A 192.0.2.3
        *.w CAA 0 issue "amazon.com"
        www CNAME target
        target A 192.0.2.4
        out CNAME host.example.net.
        loop1 CNAME loop2
        loop2 CNAME loop1
        sub NS ns.example.net.
        """;

    [Fact]
    public void Nxdomain_nodata_and_empty_non_terminals_are_told_apart()
    {
        var view = View(Zone);

        Assert.Equal(AnswerStatus.NameError, Ask(view, "nope.example.com.", RecordType.A).Status);
        Assert.Equal(AnswerStatus.NoData, Ask(view, "ns1.example.com.", RecordType.AAAA).Status);
        Assert.Equal(AnswerStatus.NoData, Ask(view, "b.c.example.com.", RecordType.A).Status);
        Assert.Equal(AnswerStatus.Answer, Ask(view, "a.b.c.example.com.", RecordType.A).Status);
    }

    [Fact]
    public void Wildcards_answer_for_names_that_do_not_exist()
    {
        var answer = Ask(View(Zone), "x.w.example.com.", RecordType.CAA);

        Assert.Equal(AnswerStatus.Answer, answer.Status);
        Assert.Equal("x.w.example.com.", answer.Records[0].Owner.Text);
    }

    [Fact]
    public void Cnames_are_chased_inside_the_zone_and_not_beyond_it()
    {
        var view = View(Zone);

        var inside = Ask(view, "www.example.com.", RecordType.A);
        Assert.Equal(AnswerStatus.Answer, inside.Status);
        Assert.Equal([RecordType.CNAME, RecordType.A], inside.Records.Select(r => r.Type));

        var outside = Ask(view, "out.example.com.", RecordType.CAA);
        Assert.Equal(AnswerStatus.NotCheckable, outside.Status);
        Assert.Single(outside.CnameChain);

        Assert.Equal(AnswerStatus.Failure, Ask(view, "loop1.example.com.", RecordType.A).Status);
    }

    [Fact]
    public void Names_below_a_delegation_or_outside_the_zone_are_not_checkable()
    {
        var view = View(Zone);

        Assert.Equal(AnswerStatus.NotCheckable, Ask(view, "x.sub.example.com.", RecordType.CAA).Status);
        Assert.Equal(AnswerStatus.NotCheckable, Ask(view, "example.org.", RecordType.CAA).Status);
    }

    [Fact]
    public void A_zone_without_records_still_answers_for_its_apex()
    {
        var view = View("$TTL 300\n@ SOA ns1 h ( 1 2 3 4 5\n");

        Assert.Equal(AnswerStatus.NoData, Ask(view, "example.com.", RecordType.CAA).Status);
        Assert.Equal(AnswerStatus.NameError, Ask(view, "www.example.com.", RecordType.CAA).Status);
    }
}
