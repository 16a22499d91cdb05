using RulesApi.Dns.ZoneFiles;
using RulesApi.Rules.Contract;

namespace RulesApi.Rules.Zone;

public sealed class ZONE005_OutOfZoneData : IntegrityProblemRule
{
    protected override string Id => "ZONE005";

    protected override string Title => "A record lies outside the zone";

    protected override Severity DefaultSeverity => Severity.Warning;

    protected override string Summary =>
        "A record whose owner is not at or below the zone's apex is never served by the zone's servers (BIND ignores it). It usually comes from a missing origin or a name written without its final dot elsewhere.";

    private static readonly RuleMessage OutOfZone = new("out-of-zone", Severity.Warning, Problem);

    protected override IReadOnlyList<RuleMessage> Messages => [OutOfZone];

    protected override IReadOnlyList<string> References => [Rfc1035MasterFiles];

    protected override ZoneProblemKind Kind => ZoneProblemKind.OutOfZone;

    protected override RuleMessage MessageFor(ZoneProblem problem) => OutOfZone;
}
