using System.Text;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Report;

namespace RulesApi.Rules.Runtime;

/// <summary>
/// Keeps a report's size bounded whatever the input: a finding repeated for every name with nothing else
/// different (the zone's SOA timers, a DS that matches no key) is reported once with the number of names it
/// concerns; each rule reports at most <see cref="FindingLimits.PerRule"/> findings, the rest counted in the
/// report's <c>truncated</c>; and text that echoes the input (a 60 KB TXT value in evidence) is cut short.
/// </summary>
public sealed record FindingLimits(int PerRule = FindingLimits.DefaultPerRule)
{
    public const int DefaultPerRule = 100;

    /// <summary>The longest message or evidence line reported, in characters; the rest is replaced by a note of how much was cut.</summary>
    public const int MaxTextLength = 2048;

    public static readonly FindingLimits Default = new();

    /// <summary>No cap on findings per rule (repeated findings are still reported once).</summary>
    public static readonly FindingLimits Unlimited = new(int.MaxValue);

    /// <summary>
    /// Findings identical but for their name become one, named after the first of those names (in the
    /// report's order) with <see cref="Finding.NameCount"/> saying how many names it concerns.
    /// </summary>
    public static List<Finding> MergeRepeated(IEnumerable<Finding> findings)
    {
        var groups = new Dictionary<string, (Finding First, HashSet<string> Names)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var finding in findings)
        {
            var key = SameButForName(finding);
            if (groups.TryGetValue(key, out var group))
            {
                group.Names.Add(finding.Name);
                if (StringComparer.OrdinalIgnoreCase.Compare(finding.Name, group.First.Name) < 0)
                {
                    groups[key] = (finding, group.Names);
                }
            }
            else
            {
                groups[key] = (finding, new HashSet<string>(StringComparer.OrdinalIgnoreCase) { finding.Name });
                order.Add(key);
            }
        }

        return order.Select(key => groups[key] is var (first, names) && names.Count > 1 ? first with { NameCount = names.Count } : groups[key].First).ToList();
    }

    /// <summary>
    /// At most <see cref="PerRule"/> findings of each rule, the first in the order given (most severe
    /// first); how many of each rule's were left out comes back in <paramref name="truncated"/>.
    /// </summary>
    public List<Finding> Cap(IReadOnlyList<Finding> sorted, out IReadOnlyList<RuleTruncation>? truncated)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var kept = new List<Finding>(Math.Min(sorted.Count, 1024));
        foreach (var finding in sorted)
        {
            var seen = counts.TryGetValue(finding.RuleId, out var count) ? count : 0;
            counts[finding.RuleId] = seen + 1;
            if (seen < PerRule)
            {
                kept.Add(finding);
            }
        }

        var cut = counts.Where(entry => entry.Value > PerRule)
            .OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => new RuleTruncation(entry.Key, PerRule, entry.Value - PerRule))
            .ToList();
        truncated = cut.Count > 0 ? cut : null;
        return kept;
    }

    /// <summary>The finding with its message and evidence no longer than <see cref="MaxTextLength"/> each.</summary>
    public static Finding CutShort(Finding finding)
    {
        var longEvidence = finding.Evidence.Any(line => line.Length > MaxTextLength);
        if (finding.Message.Length <= MaxTextLength && !longEvidence)
        {
            return finding;
        }

        return finding with
        {
            Message = Shorten(finding.Message),
            Evidence = longEvidence ? finding.Evidence.Select(Shorten).ToList() : finding.Evidence,
        };
    }

    /// <summary>Text of at most <paramref name="max"/> characters, ending with how many were cut when it was longer.</summary>
    public static string Shorten(string text, int max = MaxTextLength)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var note = $"… ({text.Length - max} more characters)";
        return string.Concat(text.AsSpan(0, max), note);
    }

    /// <summary>Everything a reader sees in a finding except its name, as one key.</summary>
    private static string SameButForName(Finding finding)
    {
        var key = new StringBuilder()
            .Append(finding.RuleId).Append('\u0001')
            .Append(finding.MessageId).Append('\u0001')
            .Append((int)finding.Severity).Append('\u0001')
            .Append(finding.Inconclusive).Append('\u0001')
            .Append(finding.Location?.Line).Append(':').Append(finding.Location?.Column).Append('\u0001')
            .Append(finding.Message).Append('\u0001');
        foreach (var line in finding.Evidence)
        {
            key.Append(line).Append('\u0002');
        }

        if (finding.Remediation is { } remedy)
        {
            key.Append('\u0001').Append(remedy.Summary);
            foreach (var record in remedy.Records)
            {
                key.Append('\u0002').Append(record.Action).Append(' ').Append(record.ZoneLine);
            }
        }

        return key.ToString();
    }
}
