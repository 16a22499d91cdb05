using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>What the parser read from zone text: the records, in file order, and every problem met.</summary>
public sealed class ParsedZone
{
    public ParsedZone(DnsName? origin, IReadOnlyList<ResourceRecord> records, IReadOnlyList<ZoneDiagnostic> diagnostics, int lineCount)
    {
        Origin = origin;
        Records = records;
        Diagnostics = diagnostics;
        LineCount = lineCount;
    }

    /// <summary>
    /// The zone's apex: the origin given to the parser, else the first <c>$ORIGIN</c>, else the
    /// owner of the first SOA record. Null when the text gave no way to know it.
    /// </summary>
    public DnsName? Origin { get; }

    public IReadOnlyList<ResourceRecord> Records { get; }

    public IReadOnlyList<ZoneDiagnostic> Diagnostics { get; }

    public int LineCount { get; }

    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>How the parser treats the text it is given.</summary>
public sealed record ZoneParserOptions
{
    /// <summary>The initial origin, as <c>named-checkzone</c>'s zone-name argument.</summary>
    public DnsName? Origin { get; init; }

    /// <summary>After this many errors the parser stops and says so.</summary>
    public int MaxErrors { get; init; } = 100;
}
