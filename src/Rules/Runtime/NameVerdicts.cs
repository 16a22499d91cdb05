using RulesApi.Rules.Contract;
using RulesApi.Rules.Report;

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
    /// findings describe the zone text. A finding that concerns every name of the diagnosis
    /// (<see cref="Finding.ConcernsEveryName"/>: a rule that could not be checked) counts for each of them.
    /// </summary>
    public static IReadOnlyList<NameVerdict> Of(IEnumerable<string> names, IEnumerable<Finding> findings, Func<string, bool> judgesNames, bool zoneHasErrors)
    {
        var worst = new Dictionary<string, Verdict>(StringComparer.OrdinalIgnoreCase);
        var everyName = Verdict.Ok;
        foreach (var finding in findings)
        {
            if (!judgesNames(finding.RuleId))
            {
                continue;
            }

            var verdict = VerdictOf(finding);
            if (finding.ConcernsEveryName)
            {
                everyName = verdict < everyName ? verdict : everyName;
            }
            else if (!worst.TryGetValue(finding.Name, out var known) || verdict < known)
            {
                worst[finding.Name] = verdict;
            }
        }

        // A loop, not a projection: its lambda's closure was made for every diagnosis.
        var verdicts = new List<NameVerdict>(names.TryGetNonEnumeratedCount(out var count) ? count : 4);
        foreach (var name in names)
        {
            var own = worst.TryGetValue(name, out var found) ? found : Verdict.Ok;
            var verdict = own < everyName ? own : everyName;
            verdicts.Add(new NameVerdict(name, zoneHasErrors && verdict > Verdict.Inconclusive ? Verdict.Inconclusive : verdict));
        }

        return verdicts;
    }

    /// <summary>
    /// The names a report lists: all of them when there are at most <paramref name="max"/> (or it is not positive); otherwise the
    /// <paramref name="max"/> worst (blocked first, then inconclusive, at-risk, ok; in the diagnosis's order within
    /// a verdict), kept in the diagnosis's order, and the rest counted by verdict in <paramref name="omitted"/>. The
    /// worst verdict of the report is always among those listed.
    /// </summary>
    public static IReadOnlyList<NameVerdict> Listed(IReadOnlyList<NameVerdict> verdicts, int max, out NameTruncation? omitted)
    {
        // A cap of 0 or less would list nothing, not even the worst verdict: it means no cap.
        if (verdicts.Count <= max || max <= 0)
        {
            omitted = null;
            return verdicts;
        }

        // Stable: within a verdict the diagnosis's order (the apex first in an audit, then the owners sorted).
        var chosen = Enumerable.Range(0, verdicts.Count).OrderBy(i => verdicts[i].Verdict).Take(max).Order().ToList();
        var listed = chosen.Select(i => verdicts[i]).ToList();
        var counts = new int[4];
        foreach (var verdict in verdicts)
        {
            counts[(int)verdict.Verdict]++;
        }

        foreach (var verdict in listed)
        {
            counts[(int)verdict.Verdict]--;
        }

        omitted = new NameTruncation(listed.Count, verdicts.Count - listed.Count)
        {
            Blocked = counts[(int)Verdict.Blocked],
            Inconclusive = counts[(int)Verdict.Inconclusive],
            AtRisk = counts[(int)Verdict.AtRisk],
            Ok = counts[(int)Verdict.Ok],
        };
        return listed;
    }

    /// <summary>The verdict one finding alone gives its name (the enum is ordered worst first).</summary>
    private static Verdict VerdictOf(Finding finding) =>
        finding.Severity is Severity.Critical or Severity.Error ? Verdict.Blocked
        : finding.Inconclusive ? Verdict.Inconclusive
        : finding.Severity == Severity.Warning ? Verdict.AtRisk
        : Verdict.Ok;
}
