using RulesApi.Dns.ZoneFiles;
using RulesApi.Rules.Contract;

namespace RulesApi.Rules.Zone;

public sealed class ZONE007_IncludeRefused : ParserDiagnosticRule
{
    protected override string Id => "ZONE007";

    protected override string Title => "$INCLUDE was not followed";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "Zone text sent to the service may not make it open files, so $INCLUDE directives are reported and not followed; the included records were not checked.";

    private static readonly RuleMessage IncludeRefused = new("include-refused", Severity.Error, AtLine);

    protected override IReadOnlyList<RuleMessage> Messages => [IncludeRefused];

    protected override IReadOnlyList<string> References => [Rfc1035MasterFiles];

    protected override bool Covers(ZoneDiagnostic diagnostic) => diagnostic.Kind == DiagnosticKind.IncludeRefused;

    protected override RuleMessage MessageFor(ZoneDiagnostic diagnostic) => IncludeRefused;
}
