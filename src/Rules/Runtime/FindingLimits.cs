using RulesApi.Rules.Contract;
using RulesApi.Rules.Report;

namespace RulesApi.Rules.Runtime;

/// <summary>
/// Keeps a report's size bounded whatever the input: a finding repeated for every name with nothing else
/// different (the zone's SOA timers, a DS that matches no key) is reported once with the number of names it
/// concerns; each rule reports at most <see cref="FindingLimits.PerRule"/> findings, the rest counted in the
/// report's <c>truncated</c>; at most <see cref="Names"/> names are listed with their verdicts, the rest
/// counted by verdict (<see cref="NameVerdicts.Listed"/>); and text that echoes the input (a 60 KB TXT value in
/// evidence) is cut short.
/// </summary>
public sealed record FindingLimits(int PerRule = FindingLimits.DefaultPerRule, int Names = FindingLimits.DefaultNames)
{
    public const int DefaultPerRule = 100;

    /// <summary>
    /// Names listed in a report by default: every name a request can give, and the worst thousand of a zone audit
    /// (an audit of 400k CAA owners once answered 134 MB, nearly all of it one line per name).
    /// </summary>
    public const int DefaultNames = 1000;

    /// <summary>The longest message or evidence line reported, in characters; the rest is replaced by a note of how much was cut.</summary>
    public const int MaxTextLength = 2048;

    public static readonly FindingLimits Default = new();

    /// <summary>No cap on findings per rule nor on names listed (repeated findings are still reported once).</summary>
    public static readonly FindingLimits Unlimited = new(int.MaxValue, int.MaxValue);

    /// <summary>
    /// Findings identical but for their name become one, named after the first of those names (in the
    /// report's order) with <see cref="Finding.NameCount"/> saying how many names it concerns.
    /// </summary>
    public static List<Finding> MergeRepeated(IEnumerable<Finding> findings)
    {
        // Keyed by the findings themselves, compared on everything but the name: no key text is built per finding, and
        // a group's set of names is made only when a second name joins it — in a zone audit of 400k owners nearly
        // every finding is alone in its group (its message names its owner), and both were a few hundred bytes each.
        var groups = new Dictionary<HashedFinding, Group>(SameButForName.Instance);
        var order = new List<Group>();
        // Few findings are all reported, and their text is needed anyway: rendered once here for good, not once into the
        // scratch buffer to hash it and again for the report. With LaterMessage's reused builder, measured on samples/example.com.zone
        // with two names (7 messages): 19.1 KB → 9.1 KB per diagnosis for rendering them.
        var renderNow = findings.TryGetNonEnumeratedCount(out var count) && count <= RenderedAtOnce;
        if (renderNow && count == 0)
        {
            // A healthy name's diagnosis: nothing to group.
            return [];
        }

        if (renderNow && count <= ComparedPairwiseAtMost)
        {
            return MergeFew(findings, count);
        }

        foreach (var finding in findings)
        {
            if (renderNow)
            {
                _ = finding.Message;
            }

            // One lookup, and the finding hashed once: its hash renders its message into a scratch buffer.
            ref var group = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(
                groups, new HashedFinding(finding, SameButForName.Hash(finding)), out var exists);
            if (!exists)
            {
                group = new Group(finding);
                order.Add(group);
                continue;
            }

            Join(group!, finding);
        }

        return Merged(order);
    }

    /// <summary>
    /// Up to this many findings (a request's few names), each is compared with the groups found so far instead of hashed: most
    /// pairs differ in their rule or place, which is seen at once, where hashing read every message and evidence line in full
    /// (on samples/example.com.zone with two names, 7 findings, hashing was ~3 % of the diagnosis).
    /// </summary>
    private const int ComparedPairwiseAtMost = 16;

    private static List<Finding> MergeFew(IEnumerable<Finding> findings, int count)
    {
        var order = new List<Group>(count);
        foreach (var finding in findings)
        {
            _ = finding.Message;
            var joined = false;
            foreach (var group in order)
            {
                if (SameButForName.Same(group.Key, finding))
                {
                    Join(group, finding);
                    joined = true;
                    break;
                }
            }

            if (!joined)
            {
                order.Add(new Group(finding));
            }
        }

        return Merged(order);
    }

    private static void Join(Group group, Finding finding)
    {
        group.Names ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase) { group.First.Name };
        group.Names.Add(finding.Name);
        if (StringComparer.OrdinalIgnoreCase.Compare(finding.Name, group.First.Name) < 0)
        {
            group.First = finding;
        }
    }

    private static List<Finding> Merged(List<Group> order)
    {
        var merged = new List<Finding>(order.Count);
        foreach (var group in order)
        {
            merged.Add(group is { Names.Count: > 1 } ? group.First with { NameCount = group.Names.Count } : group.First);
        }

        return merged;
    }

    /// <summary>Up to this many findings in all, no rule has more than it may report by default: each one's message is rendered when merged.</summary>
    private const int RenderedAtOnce = DefaultPerRule;

    /// <summary>A finding with its hash under <see cref="SameButForName"/>, computed once.</summary>
    private readonly record struct HashedFinding(Finding Finding, int Hash);

    private sealed class Group(Finding first)
    {
        /// <summary>The finding the group began with, which the others are compared with.</summary>
        public Finding Key { get; } = first;

        public Finding First { get; set; } = first;

        /// <summary>The names of the group, once it has more than one.</summary>
        public HashSet<string>? Names { get; set; }
    }

    /// <summary>
    /// At most <see cref="PerRule"/> findings of each rule, the first in the order given (most severe
    /// first); how many of each rule's were left out comes back in <paramref name="truncated"/>.
    /// </summary>
    public List<Finding> Cap(IReadOnlyList<Finding> sorted, out IReadOnlyList<RuleTruncation>? truncated)
    {
        if (sorted.Count <= PerRule)
        {
            // No rule can have more than its share: nothing to count.
            truncated = null;
            return sorted as List<Finding> ?? [.. sorted];
        }

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
        var longEvidence = false;
        for (var i = 0; i < finding.Evidence.Count && !longEvidence; i++)
        {
            longEvidence = finding.Evidence[i].Length > MaxTextLength;
        }

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

    /// <summary>Two reused buffers per thread, for the text of two messages being compared.</summary>
    private sealed class Scratch
    {
        [ThreadStatic]
        private static Scratch? _forThread;

        public static Scratch ForThread => _forThread ??= new Scratch();

        public MessageBuffer First { get; } = new();

        public MessageBuffer Second { get; } = new();
    }

    private sealed class MessageBuffer
    {
        private readonly System.Text.StringBuilder _builder = new();
        private char[] _chars = new char[1024];

        /// <summary>The message's text, valid until this buffer is used again.</summary>
        public ReadOnlySpan<char> Of(Finding finding)
        {
            if (finding.Later is not { } later)
            {
                return finding.Message;
            }

            _builder.Clear();
            later.Write(_builder);
            if (_chars.Length < _builder.Length)
            {
                _chars = new char[Math.Max(_builder.Length, _chars.Length * 2)];
            }

            _builder.CopyTo(0, _chars, 0, _builder.Length);
            return _chars.AsSpan(0, _builder.Length);
        }
    }

    /// <summary>Findings compared on everything a reader sees in them except their name.</summary>
    private sealed class SameButForName : IEqualityComparer<HashedFinding>
    {
        public static readonly SameButForName Instance = new();

        public bool Equals(HashedFinding first, HashedFinding second) =>
            ReferenceEquals(first.Finding, second.Finding) || (first.Hash == second.Hash && Same(first.Finding, second.Finding));

        /// <summary>The same but for the name: the cheap fields first, the message and evidence last.</summary>
        public static bool Same(Finding x, Finding y) =>
            string.Equals(x.RuleId, y.RuleId, StringComparison.Ordinal)
                && string.Equals(x.MessageId, y.MessageId, StringComparison.Ordinal)
                && x.Severity == y.Severity
                && x.Inconclusive == y.Inconclusive
                && x.Location?.Line == y.Location?.Line
                && x.Location?.Column == y.Location?.Column
                && SameMessage(x, y)
                && x.Evidence.SequenceEqual(y.Evidence, StringComparer.Ordinal)
                && SameRemedy(x.Remediation, y.Remediation);

        private static bool SameRemedy(Remediation? x, Remediation? y) =>
            x is null || y is null
                ? x is null && y is null
                : string.Equals(x.Summary, y.Summary, StringComparison.Ordinal)
                    && x.Records.Count == y.Records.Count
                    && x.Records.Zip(y.Records).All(pair => pair.First.Action == pair.Second.Action
                        && string.Equals(pair.First.ZoneLine, pair.Second.ZoneLine, StringComparison.Ordinal));

        // A message not rendered yet is compared and hashed through a reused buffer and left unrendered: in a large
        // audit nearly every finding is alone in its group and is never reported, so its text is never kept.
        private static bool SameMessage(Finding x, Finding y)
        {
            if (x.Later is null && y.Later is null)
            {
                return string.Equals(x.Message, y.Message, StringComparison.Ordinal);
            }

            var scratch = Scratch.ForThread;
            return scratch.First.Of(x).SequenceEqual(scratch.Second.Of(y));
        }

        private static int MessageHash(Finding finding) =>
            finding.Later is null ? string.GetHashCode(finding.Message) : string.GetHashCode(Scratch.ForThread.First.Of(finding));

        public int GetHashCode(HashedFinding finding) => finding.Hash;

        public static int Hash(Finding finding)
        {
            var hash = new HashCode();
            hash.Add(finding.RuleId, StringComparer.Ordinal);
            hash.Add(finding.MessageId, StringComparer.Ordinal);
            hash.Add(finding.Severity);
            hash.Add(finding.Location?.Line);
            hash.Add(finding.Location?.Column);
            hash.Add(MessageHash(finding));
            // By index: a foreach over the interface boxed an enumerator per finding.
            for (var i = 0; i < finding.Evidence.Count; i++)
            {
                hash.Add(finding.Evidence[i], StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }
    }
}
