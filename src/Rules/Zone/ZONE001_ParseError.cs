using RulesApi.Dns.ZoneFiles;
using RulesApi.Rules.Contract;

namespace RulesApi.Rules.Zone;

/// <summary>Zone text that does not follow the master-file grammar; the entry was skipped.</summary>
public sealed class ZONE001_ParseError : ParserDiagnosticRule
{
    protected override string Id => "ZONE001";

    protected override string Title => "The zone text has a syntax error";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "An entry of the zone text could not be read (RFC 1035 §5 master-file format, as BIND reads it). The record on that line was skipped, so results for names it concerns are incomplete; BIND would refuse to load the zone.";

    /// <summary>An entry does not follow the grammar and was skipped.</summary>
    private static readonly RuleMessage Syntax = new("syntax", Severity.Error, AtLine);

    /// <summary>The parser stopped early (too many errors, or binary input): the rest of the text was not read.</summary>
    private static readonly RuleMessage Stopped = new("stopped", Severity.Error, AtLine);

    protected override IReadOnlyList<RuleMessage> Messages => [Syntax, Stopped];

    protected override IReadOnlyList<string> References => [Rfc1035MasterFiles, "https://www.rfc-editor.org/rfc/rfc3597#section-5"];

    protected override bool Covers(ZoneDiagnostic diagnostic) =>
        diagnostic.Kind is DiagnosticKind.Syntax or DiagnosticKind.Stopped && diagnostic.Severity == DiagnosticSeverity.Error;

    protected override RuleMessage MessageFor(ZoneDiagnostic diagnostic) => diagnostic.Kind == DiagnosticKind.Stopped ? Stopped : Syntax;
}
