using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

public enum DiagnosticSeverity
{
    Error,
    Warning,
    Notice,
}

/// <summary>What kind of problem the parser met; rules map each kind to a finding.</summary>
public enum DiagnosticKind
{
    /// <summary>The text does not follow the master-file grammar; the entry was skipped.</summary>
    Syntax,

    /// <summary>An <c>$INCLUDE</c> directive that was not followed.</summary>
    IncludeRefused,

    /// <summary>A TTL taken from somewhere other than the record or <c>$TTL</c> (BIND warns too).</summary>
    ImplicitTtl,

    /// <summary>The parser stopped early (too many errors, or binary input).</summary>
    Stopped,
}

/// <summary>A problem found while reading zone text, with the line and column it concerns.</summary>
public sealed record ZoneDiagnostic(DiagnosticKind Kind, DiagnosticSeverity Severity, SourceLocation Location, string Message)
{
    public override string ToString() => $"{Location.Line}:{Location.Column}: {Message}";
}
