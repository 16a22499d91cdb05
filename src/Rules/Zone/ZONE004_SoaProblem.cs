using RulesApi.Dns.ZoneFiles;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Zone;

public sealed class ZONE004_SoaProblem : ZoneRule
{
    protected override string Id => "ZONE004";

    protected override string Title => "The zone does not have exactly one SOA record at its apex";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "A zone has exactly one SOA record, at its apex. Without it the zone cannot be served; with several, or one elsewhere, the zone text is not what its author thinks.";

    /// <summary>No SOA record at the apex, or more than one.</summary>
    private static readonly RuleMessage WrongCount = new("wrong-count", Severity.Error, Problem);

    /// <summary>An SOA record at a name other than the apex.</summary>
    private static readonly RuleMessage NotAtApex = new("not-at-apex", Severity.Error, Problem);

    protected override IReadOnlyList<RuleMessage> Messages => [WrongCount, NotAtApex];

    protected override IReadOnlyList<string> References => ["https://www.rfc-editor.org/rfc/rfc1035#section-5.2", "https://www.rfc-editor.org/rfc/rfc1034#section-4.2.1"];

    protected override IEnumerable<Finding> Check(ZoneInput zone) =>
        zone.Problems.Where(p => p.Kind is ZoneProblemKind.SoaCount or ZoneProblemKind.SoaNotAtApex)
            .Select(p => Report(p.Name, p.Kind == ZoneProblemKind.SoaNotAtApex ? NotAtApex : WrongCount, new { problem = p.Message }, p.Records.Select(r => r.ToZoneLine()).ToList(), location: p.Location));
}
