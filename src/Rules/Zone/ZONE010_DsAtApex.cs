using RulesApi.Dns.ZoneFiles;
using RulesApi.Rules.Contract;

namespace RulesApi.Rules.Zone;

public sealed class ZONE010_DsAtApex : IntegrityProblemRule
{
    protected override string Id => "ZONE010";

    protected override string Title => "A DS record sits at the zone's own apex";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "DS records belong to the parent zone: they are published at the registrar, not in the zone they describe. BIND refuses a DS at the apex.";

    private static readonly RuleMessage DsAtApex = new("ds-at-apex", Severity.Error, Problem);

    protected override IReadOnlyList<RuleMessage> Messages => [DsAtApex];

    protected override IReadOnlyList<string> References => ["https://www.rfc-editor.org/rfc/rfc4035#section-2.4"];

    protected override ZoneProblemKind Kind => ZoneProblemKind.DsAtApex;

    protected override RuleMessage MessageFor(ZoneProblem problem) => DsAtApex;
}
