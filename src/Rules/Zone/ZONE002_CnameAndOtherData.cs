using RulesApi.Dns.ZoneFiles;
using RulesApi.Rules.Contract;

namespace RulesApi.Rules.Zone;

public sealed class ZONE002_CnameAndOtherData : IntegrityProblemRule
{
    protected override string Id => "ZONE002";

    protected override string Title => "A CNAME shares its name with other records";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "A name with a CNAME may have no other data (except DNSSEC's RRSIG and NSEC), and only one CNAME. Resolvers then answer unpredictably, and BIND refuses the zone.";

    private static readonly RuleMessage CnameAndOtherData = new("cname-and-other-data", Severity.Error, Problem);

    protected override IReadOnlyList<RuleMessage> Messages => [CnameAndOtherData];

    protected override IReadOnlyList<string> References =>
        ["https://www.rfc-editor.org/rfc/rfc1034#section-3.6.2", "https://www.rfc-editor.org/rfc/rfc2181#section-10.1"];

    protected override ZoneProblemKind Kind => ZoneProblemKind.CnameAndOtherData;

    protected override RuleMessage MessageFor(ZoneProblem problem) => CnameAndOtherData;
}
