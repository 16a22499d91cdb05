using RulesApi.Rules.Contract;
namespace RulesApi.Rules.Report;

public sealed record NameVerdict(string Name, Verdict Verdict);

/// <summary>Facts about the zone text, when the diagnosis read one.</summary>
public sealed record ZoneSummary(string Origin, int Records, int Lines, int Errors);

/// <summary>The answer to a diagnosis: a verdict per name, the findings most severe first, and what ran.</summary>
public sealed record DiagnosisReport(
    string Source,
    IReadOnlyList<NameVerdict> Names,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<string> RulesRun,
    long ElapsedMs,
    ZoneSummary? Zone = null)
{
    /// <summary>The audit trail of a live diagnosis: every query sent, to which server, with what outcome.</summary>
    public IReadOnlyList<Dns.Live.QueryLogEntry>? Queries { get; init; }
}
