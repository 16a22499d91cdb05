using RulesApi.Dns.ZoneFiles;
using RulesApi.Rules.Contract;

namespace RulesApi.Rules.Zone;

public sealed class ZONE006_MissingApexNs : IntegrityProblemRule
{
    protected override string Id => "ZONE006";

    protected override string Title => "The zone has no NS records at its apex";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "The NS records at the apex name the zone's authoritative servers. A zone without them cannot be loaded by BIND, and the export is probably incomplete.";

    private static readonly RuleMessage MissingApexNs = new("no-apex-ns", Severity.Error, Problem);

    protected override IReadOnlyList<RuleMessage> Messages => [MissingApexNs];

    protected override IReadOnlyList<string> References => ["https://www.rfc-editor.org/rfc/rfc1034#section-4.2.1"];

    protected override ZoneProblemKind Kind => ZoneProblemKind.MissingApexNs;

    protected override RuleMessage MessageFor(ZoneProblem problem) => MissingApexNs;
}
