using RulesApi.Dns.ZoneFiles;
using RulesApi.Rules.Contract;

namespace RulesApi.Rules.Zone;

public sealed class ZONE008_ImplicitTtl : ParserDiagnosticRule
{
    protected override string Id => "ZONE008";

    protected override string Title => "A TTL was taken from somewhere other than the record or $TTL";

    protected override Severity DefaultSeverity => Severity.Notice;

    protected override string Summary =>
        "Without a $TTL line, a record without a TTL takes the previous record's TTL (RFC 1035) or the SOA minimum, as BIND does. The TTLs may not be the ones the author meant.";

    private static readonly RuleMessage ImplicitTtl = new("implicit-ttl", Severity.Notice, AtLine);

    protected override IReadOnlyList<RuleMessage> Messages => [ImplicitTtl];

    protected override IReadOnlyList<string> References => ["https://www.rfc-editor.org/rfc/rfc2308#section-4", Rfc1035MasterFiles];

    protected override bool Covers(ZoneDiagnostic diagnostic) => diagnostic.Kind == DiagnosticKind.ImplicitTtl;

    protected override RuleMessage MessageFor(ZoneDiagnostic diagnostic) => ImplicitTtl;
}
