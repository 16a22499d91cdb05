using RulesApi.Dns.ZoneFiles;
using RulesApi.Rules.Contract;

namespace RulesApi.Rules.Zone;

public sealed class ZONE003_CnameLoop : IntegrityProblemRule
{
    protected override string Id => "ZONE003";

    protected override string Title => "CNAMEs form a loop";

    protected override Severity DefaultSeverity => Severity.Warning;

    protected override string Summary =>
        "Following the CNAMEs from a name comes back to a name already visited (or runs longer than resolvers follow). Every lookup of those names fails with SERVFAIL, including a CA's CAA lookup.";

    private static readonly RuleMessage CnameLoop = new("cname-loop", Severity.Warning, Problem);

    protected override IReadOnlyList<RuleMessage> Messages => [CnameLoop];

    protected override IReadOnlyList<string> References => ["https://www.rfc-editor.org/rfc/rfc1034#section-3.6.2"];

    protected override ZoneProblemKind Kind => ZoneProblemKind.CnameLoop;

    protected override RuleMessage MessageFor(ZoneProblem problem) => CnameLoop;
}
