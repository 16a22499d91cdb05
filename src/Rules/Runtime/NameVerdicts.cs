using RulesApi.Rules.Contract;

namespace RulesApi.Rules.Runtime;

/// <summary>
/// The verdict of every name from the findings in one pass: each finding marks its own name, so the
/// cost grows with the findings plus the names, never with their product (a zone audit of 400k owners
/// once asked every finding about every name).
/// </summary>
public static class NameVerdicts
{
    /// <summary>
    /// Blocked beats inconclusive beats at-risk beats ok, per name. A zone that did not parse cleanly cannot
    /// give "ok". Only findings of rules that judge names count (<paramref name="judgesNames"/>): ZONE
    /// findings describe the zone text.
    /// </summary>
    public static IReadOnlyList<Report.NameVerdict> Of(IEnumerable<string> names, IEnumerable<Finding> findings, Func<string, bool> judgesNames, bool zoneHasErrors)
    {
        var worst = new Dictionary<string, Verdict>(StringComparer.OrdinalIgnoreCase);
        foreach (var finding in findings)
        {
            if (!judgesNames(finding.RuleId))
            {
                continue;
            }

            var verdict = VerdictOf(finding);
            if (!worst.TryGetValue(finding.Name, out var known) || verdict < known)
            {
                worst[finding.Name] = verdict;
            }
        }

        return names.Select(name =>
        {
            var verdict = worst.TryGetValue(name, out var found) ? found : Verdict.Ok;
            return new Report.NameVerdict(name, zoneHasErrors && verdict > Verdict.Inconclusive ? Verdict.Inconclusive : verdict);
        }).ToList();
    }

    /// <summary>The verdict one finding alone gives its name (the enum is ordered worst first).</summary>
    private static Verdict VerdictOf(Finding finding) =>
        finding.Severity is Severity.Critical or Severity.Error ? Verdict.Blocked
        : finding.Inconclusive ? Verdict.Inconclusive
        : finding.Severity == Severity.Warning ? Verdict.AtRisk
        : Verdict.Ok;
}
