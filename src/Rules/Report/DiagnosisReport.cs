using RulesApi.Rules.Contract;
namespace RulesApi.Rules.Report;

public sealed record NameVerdict(string Name, Verdict Verdict)
{
    /// <summary>One sentence a non-expert understands: the verdict, and what to do at which provider.</summary>
    public string? Answer { get; init; }
}

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

    /// <summary>
    /// The rules that found more than the report shows (at most a set number of findings per rule, most
    /// severe first): how many are shown and how many were left out. Absent when nothing was left out.
    /// The verdicts count every finding, shown or not.
    /// </summary>
    public IReadOnlyList<RuleTruncation>? Truncated { get; init; }

    /// <summary>
    /// The names beyond the report's cap (a zone audit of many CAA owners): <c>names</c> lists the worst of them,
    /// and these are only counted, by verdict. Absent when every name is listed.
    /// </summary>
    public NameTruncation? NamesTruncated { get; init; }

    /// <summary>
    /// What to change, each record once with the names it serves (the findings' fixes repeat a record for
    /// every name it fixes), by owner, and at each owner removals before additions. Absent when nothing is to change.
    /// </summary>
    public IReadOnlyList<RecordChange>? Changes { get; init; }

    /// <summary>The provider the forms follow when the request named none and a live diagnosis read it from the delegation.</summary>
    public ProviderDetection? ProviderDetected { get; init; }

    /// <summary>Where the certificate's description came from, when the service fetched it (ACM's DescribeCertificate, by ARN).</summary>
    public CertificateSource? CertificateSource { get; init; }
}

/// <summary>One rule's findings beyond the report's cap: <c>reported</c> are in <c>findings</c>, <c>omitted</c> are only counted.</summary>
public sealed record RuleTruncation(string RuleId, int Reported, int Omitted);

/// <summary>
/// Names beyond the report's cap: <c>reported</c> are in <c>names</c> (those with the worst verdicts, in the diagnosis's order),
/// <c>omitted</c> are only counted, here by verdict.
/// </summary>
public sealed record NameTruncation(int Reported, int Omitted)
{
    public int Blocked { get; init; }

    public int Inconclusive { get; init; }

    public int AtRisk { get; init; }

    public int Ok { get; init; }

    /// <summary>"399000 blocked, 1 ok": the omitted names by verdict, in words.</summary>
    public string ByVerdict() => string.Join(", ",
        new[] { (Blocked, "blocked"), (Inconclusive, "inconclusive"), (AtRisk, "at-risk"), (Ok, "ok") }
            .Where(part => part.Item1 > 0)
            .Select(part => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{part.Item1} {part.Item2}")));
}

/// <summary>
/// The provider a live diagnosis recognised in the name servers the zone is delegated to (<c>from</c>),
/// whose forms the fixes then follow: its id as a request would give it, and its name.
/// </summary>
public sealed record ProviderDetection(string Provider, string Name, string Zone, IReadOnlyList<string> From);

/// <summary>
/// A certificate description the service fetched rather than was given: <c>from</c> names the call
/// (<c>acm:DescribeCertificate</c>), with the ARN and the region it was asked in.
/// </summary>
public sealed record CertificateSource(string From, string Arn, string Region);
