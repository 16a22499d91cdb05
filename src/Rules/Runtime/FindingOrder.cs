using RulesApi.Rules.Contract;

namespace RulesApi.Rules.Runtime;

/// <summary>
/// The order of a report's findings: most severe first, then by name (in any case), rule ID, line and column of the
/// zone text; findings alike in all of these keep the order the rules gave them.
/// </summary>
/// <remarks>
/// One comparison sorting in place: LINQ's OrderBy with four ThenBy made a key array and a delegate per key for every
/// diagnosis. It was stable, and so is this (each finding's first place breaks ties), so the order is the same.
/// </remarks>
public static class FindingOrder
{
    public static void Sort(List<Finding> findings)
    {
        if (findings.Count < 2)
        {
            return;
        }

        var placed = new (Finding Finding, int At)[findings.Count];
        for (var i = 0; i < placed.Length; i++)
        {
            placed[i] = (findings[i], i);
        }

        Array.Sort(placed, static (x, y) => Compare(x.Finding, y.Finding) is var order and not 0 ? order : x.At.CompareTo(y.At));
        for (var i = 0; i < placed.Length; i++)
        {
            findings[i] = placed[i].Finding;
        }
    }

    /// <summary>Which of two findings comes first; 0 when the order leaves them as they came.</summary>
    public static int Compare(Finding x, Finding y)
    {
        if (x.Severity != y.Severity)
        {
            // As numbers: an enum's CompareTo takes an object, and boxed one side at every comparison.
            return ((int)x.Severity).CompareTo((int)y.Severity);
        }

        var order = StringComparer.OrdinalIgnoreCase.Compare(x.Name, y.Name);
        if (order != 0)
        {
            return order;
        }

        order = string.CompareOrdinal(x.RuleId, y.RuleId);
        if (order != 0)
        {
            return order;
        }

        order = (x.Location?.Line ?? 0).CompareTo(y.Location?.Line ?? 0);
        return order != 0 ? order : (x.Location?.Column ?? 0).CompareTo(y.Location?.Column ?? 0);
    }
}
