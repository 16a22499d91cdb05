using RulesApi.Dns.ZoneFiles;
using RulesApi.Rules.Contract;

namespace RulesApi.Rules.Zone;

public sealed class ZONE009_NsTargetWithoutAddress : IntegrityProblemRule
{
    protected override string Id => "ZONE009";

    protected override string Title => "A name server inside the zone has no address";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "An NS record names a server inside this zone, but the zone gives it no A or AAAA record, so resolvers cannot reach it. BIND refuses such a zone.";

    private static readonly RuleMessage NsTargetWithoutAddress = new("no-address", Severity.Error, Problem);

    protected override IReadOnlyList<RuleMessage> Messages => [NsTargetWithoutAddress];

    protected override IReadOnlyList<string> References => ["https://www.rfc-editor.org/rfc/rfc1034#section-4.2.2"];

    protected override ZoneProblemKind Kind => ZoneProblemKind.NsTargetWithoutAddress;

    protected override RuleMessage MessageFor(ZoneProblem problem) => NsTargetWithoutAddress;
}
