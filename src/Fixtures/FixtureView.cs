using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;

namespace RulesApi.Fixtures;

/// <summary>
/// Answers from a scenario's hierarchy of zones as a resolver would: each question goes to the deepest
/// zone that contains the name, and a CNAME that leaves one zone is followed into the next. A name
/// delegated to a zone the scenario does not have cannot be answered.
/// </summary>
public sealed class FixtureView : IDnsView
{
    private const int MaxHops = 16;

    private readonly FixtureScenario _scenario;
    private readonly IReadOnlyList<ZoneView> _views;

    public FixtureView(FixtureScenario scenario)
    {
        _scenario = scenario;
        _views = scenario.Zones.Select(zone => new ZoneView(zone)).ToList();
    }

    public string Description => $"fixture scenario '{_scenario.Name}'";

    public ValueTask<DnsAnswer> QueryAsync(DnsName name, RecordType type, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Resolve(name, type));

    public DnsAnswer Resolve(DnsName name, RecordType type)
    {
        var chain = new List<ResourceRecord>();
        var current = name;
        for (var hop = 0; hop < MaxHops; hop++)
        {
            var view = _views.FirstOrDefault(v => current.IsSubdomainOf(v.Zone.Apex));
            if (view is null)
            {
                return new DnsAnswer(name, type, AnswerStatus.NotCheckable, chain, current, $"no zone of the scenario contains {current.Text}");
            }

            // The faults the loopback server injects, as a resolver meets them (a truncated answer is retried over TCP).
            if (_scenario.FaultFor(current, type) is { Fault: not "truncate" } fault)
            {
                return new DnsAnswer(name, type, AnswerStatus.Failure, chain, current,
                    $"the {type} lookup of {current.Text} failed: the server {FaultWords(fault.Fault)}");
            }

            var answer = view.Resolve(current, type);
            chain.AddRange(answer.Records);
            if (answer.Status != AnswerStatus.NotCheckable || answer.FinalName == current && answer.Records.Count == 0)
            {
                return answer with { Question = name, Records = chain };
            }

            // The chain left this zone: go on with the name it reached, in the zone that holds it.
            if (answer.FinalName == current)
            {
                return answer with { Question = name, Records = chain };
            }

            current = answer.FinalName;
        }

        return new DnsAnswer(name, type, AnswerStatus.Failure, chain, current, $"more than {MaxHops} zones crossed resolving {name.Text}");
    }

    private static string FaultWords(string fault) => fault switch
    {
        "servfail" => "answered SERVFAIL",
        "refused" => "answered REFUSED",
        "timeout" => "did not answer",
        _ => "is lame (not authoritative for the zone it was asked about)",
    };
}
