using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Report;

/// <summary>
/// One record to add, remove or change, listed once however many findings propose it: the same CAA
/// record at the apex fixes the apex, its wildcard and every name that climbs to it, and a person should
/// type it once. <see cref="Names"/> are the diagnosed names it serves, <see cref="RuleIds"/> the rules
/// that asked for it. For a CAA record to add, <see cref="Keep"/> lists the CAA records already at that
/// name that stay (those no change removes): the CAs still in use keep their permission.
/// </summary>
public sealed record RecordChange(
    RecordAction Action,
    string Name,
    string Host,
    string Type,
    uint Ttl,
    string Value,
    string ZoneLine,
    IReadOnlyList<string> Names,
    IReadOnlyList<string> RuleIds)
{
    /// <summary>The record as the provider's form asks for it, field by field.</summary>
    public ProviderForm? Form { get; init; }

    /// <summary>The CAA records already at <see cref="Name"/> that stay as they are (zone-file lines); absent for other changes.</summary>
    public IReadOnlyList<string>? Keep { get; init; }

    /// <summary>The latest moment the fixes this change belongs to are seen everywhere, once made.</summary>
    public Visibility? VisibleBy { get; init; }

    /// <summary>
    /// How many names the change serves, when <see cref="Names"/> lists only the first of them (at most
    /// <see cref="RecordChanges.MaxNamesListed"/>: a zone-wide fix, the SOA's timers say, serves every name of
    /// an audit); absent when <see cref="Names"/> lists them all.
    /// </summary>
    public int? NameCount { get; init; }
}

/// <summary>
/// Gathers the report's <see cref="RecordChange"/>s: every record of the reported findings' fixes, each
/// once (by action, owner, type and value), grouped by owner in the order first proposed, and at each
/// owner removals first, then changes, then additions. The names a change serves are read from every finding, reported or not, so a
/// change lists them all even when the report shows only some of the findings; only the reported
/// findings' records are listed, so the section is as bounded as the findings are.
/// </summary>
public static class RecordChanges
{
    /// <summary>The most names one change lists; the rest are counted in <see cref="RecordChange.NameCount"/>, so the answer stays bounded.</summary>
    public const int MaxNamesListed = 100;

    /// <remarks>
    /// Plain loops, sorts in place and sets made only for a change that serves more than one name or rule: measured on
    /// samples/example.com.zone with two names (6 changes), 15.3 KB → 7.6 KB per diagnosis.
    /// </remarks>
    public static async ValueTask<IReadOnlyList<RecordChange>?> CollectAsync(DiagnosisContext context, IReadOnlyList<Finding> reported, IReadOnlyList<Finding> all,
        IReadOnlyList<string> nameOrder, CancellationToken cancellationToken)
    {
        if (reported.Count == 0)
        {
            // A report without findings (a healthy name's) has no changes: no tables made for them.
            return null;
        }

        var changes = new Dictionary<ChangeKey, Gathered>();
        var order = new List<Gathered>();
        for (var f = 0; f < reported.Count; f++)
        {
            if (reported[f].Remediation is not { } remedy)
            {
                continue;
            }

            for (var r = 0; r < remedy.Records.Count; r++)
            {
                var record = remedy.Records[r];
                var key = ChangeKey.Of(record);
                if (!changes.TryGetValue(key, out var gathered))
                {
                    gathered = new Gathered(record, order.Count);
                    changes[key] = gathered;
                    order.Add(gathered);
                }

                if (remedy.VisibleBy is { } visible && (gathered.VisibleBy is null || visible.At > gathered.VisibleBy.At))
                {
                    gathered.VisibleBy = visible;
                }
            }
        }

        if (changes.Count == 0)
        {
            return null;
        }

        // Every finding, reported or capped, tells which names and rules a listed change serves; a lookup per record, nothing stored for the others.
        for (var f = 0; f < all.Count; f++)
        {
            var finding = all[f];
            if (finding.Remediation is not { } remedy)
            {
                continue;
            }

            for (var r = 0; r < remedy.Records.Count; r++)
            {
                if (changes.TryGetValue(ChangeKey.Of(remedy.Records[r]), out var gathered))
                {
                    // A finding about every name (made once) serves them all.
                    gathered.EveryName |= finding.ConcernsEveryName;
                    gathered.Names.Add(finding.Name);
                    gathered.RuleIds.Add(finding.RuleId);
                }
            }
        }

        // Grouped by owner, in the order owners were first proposed; at each owner, what goes before what comes
        // (a TXT removed before the CNAME that replaces it can be added); else in the order first proposed.
        var owners = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        HashSet<ChangeKey>? removed = null;
        foreach (var gathered in order)
        {
            gathered.Owner = owners.TryAdd(gathered.First.Name, owners.Count) ? owners.Count - 1 : owners[gathered.First.Name];
            if (gathered.First.Action == RecordAction.Remove)
            {
                (removed ??= []).Add(ChangeKey.Of(gathered.First));
            }
        }

        var sorted = order.ToArray();
        Array.Sort(sorted, static (x, y) => x.Owner != y.Owner ? x.Owner.CompareTo(y.Owner)
            : Rank(x.First.Action) != Rank(y.First.Action) ? Rank(x.First.Action).CompareTo(Rank(y.First.Action))
            : x.Proposed.CompareTo(y.Proposed));

        var byPosition = ByPosition(nameOrder);
        var result = new List<RecordChange>(sorted.Length);
        foreach (var gathered in sorted)
        {
            var record = gathered.First;
            var keep = record.Action != RecordAction.Remove && record.Type == "CAA"
                ? await KeptAsync(context, record.Name, removed, cancellationToken).ConfigureAwait(false)
                : null;
            // Serving every name, the change lists the diagnosis's first names in its order: nothing to sort.
            IReadOnlyList<string> names;
            if (gathered.EveryName)
            {
                names = nameOrder.Take(MaxNamesListed).ToList();
            }
            else
            {
                names = gathered.Names.Sorted(byPosition, MaxNamesListed);
            }

            var nameCount = gathered.EveryName ? nameOrder.Count : gathered.Names.Count;
            result.Add(new RecordChange(record.Action, record.Name, record.Host, record.Type, record.Ttl, record.Value, record.ZoneLine,
                names, gathered.RuleIds.Sorted(string.CompareOrdinal))
            {
                Form = record.Form,
                Keep = keep,
                VisibleBy = gathered.VisibleBy,
                NameCount = nameCount > MaxNamesListed ? nameCount : null,
            });
        }

        return result;
    }

    private static int Rank(RecordAction action) => action switch { RecordAction.Remove => 0, RecordAction.Change => 1, _ => 2 };

    /// <summary>
    /// Names by their place in the diagnosis (the first, for a name given twice in different case), then by name. The places
    /// are looked up only when two names are compared: an audit's zone-wide change serves every name without a sort, and a
    /// dictionary of 400k names would be made for nothing.
    /// </summary>
    private static Comparison<string> ByPosition(IReadOnlyList<string> nameOrder)
    {
        Dictionary<string, int>? positions = null;
        return (x, y) =>
        {
            positions ??= Positions(nameOrder);
            var (at, other) = (positions.GetValueOrDefault(x, int.MaxValue), positions.GetValueOrDefault(y, int.MaxValue));
            return at != other ? at.CompareTo(other) : StringComparer.OrdinalIgnoreCase.Compare(x, y);
        };
    }

    private static Dictionary<string, int> Positions(IReadOnlyList<string> nameOrder)
    {
        var positions = new Dictionary<string, int>(nameOrder.Count, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < nameOrder.Count; i++)
        {
            positions.TryAdd(nameOrder[i], i);
        }

        return positions;
    }

    /// <summary>
    /// The CAA records at <paramref name="owner"/> itself (not through a CNAME) that no change removes, as
    /// the diagnosis's view has them: the question was already asked by the CAA rules, so it costs nothing.
    /// </summary>
    private static async ValueTask<IReadOnlyList<string>?> KeptAsync(DiagnosisContext context, string owner, HashSet<ChangeKey>? removed, CancellationToken cancellationToken)
    {
        if (!DnsName.TryParse(owner, out var name, out _) || cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        DnsAnswer answer;
        try
        {
            answer = await context.View.QueryAsync(name, RecordType.CAA, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        if (!answer.Succeeded)
        {
            return null;
        }

        var matching = answer.Matching;
        var kept = new List<string>(matching.Count);
        for (var i = 0; i < matching.Count; i++)
        {
            var r = matching[i];
            if (r.Owner != name)
            {
                continue;
            }

            // A record's text is made only when some change removes records at all, and then serves its zone line too.
            var value = removed is null ? null : r.Data.ToString();
            if (value is null || !removed!.Contains(new ChangeKey(RecordAction.Remove, r.Owner.Text, "CAA", value)))
            {
                kept.Add(value is null ? r.ToZoneLine() : r.ToZoneLine(value));
            }
        }

        return kept;
    }

    /// <summary>The listed change that is <paramref name="record"/>, for a reader holding one finding's record (the plain answers); null when not listed.</summary>
    public static Func<RemediationRecord, RecordChange?> Index(IReadOnlyList<RecordChange>? changes)
    {
        if (changes is not { Count: > 0 })
        {
            // Nothing to find (a healthy name's report): no table and no closure made for it.
            return NoChange;
        }

        var byKey = new Dictionary<ChangeKey, RecordChange>();
        foreach (var change in changes ?? [])
        {
            byKey.TryAdd(new ChangeKey(change.Action, change.Name, change.Type, change.Value), change);
        }

        return record => byKey.GetValueOrDefault(ChangeKey.Of(record));
    }

    private static readonly Func<RemediationRecord, RecordChange?> NoChange = static _ => null;

    /// <summary>
    /// What makes two proposed records the same change: the action, the owner (in any case: DNS names are
    /// compared without regard to case), the type and the value as written. Compared in place, without a
    /// lowered copy of each name, because every finding of a large audit is looked up.
    /// </summary>
    private readonly record struct ChangeKey(RecordAction Action, string Name, string Type, string Value)
    {
        public static ChangeKey Of(RemediationRecord record) => new(record.Action, record.Name, record.Type, record.Value);

        public bool Equals(ChangeKey other) =>
            Action == other.Action && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase)
            && string.Equals(Type, other.Type, StringComparison.Ordinal) && string.Equals(Value, other.Value, StringComparison.Ordinal);

        public override int GetHashCode() =>
            HashCode.Combine(Action, StringComparer.OrdinalIgnoreCase.GetHashCode(Name), StringComparer.Ordinal.GetHashCode(Type), StringComparer.Ordinal.GetHashCode(Value));
    }

    private sealed class Gathered(RemediationRecord first, int proposed)
    {
        public RemediationRecord First { get; } = first;

        /// <summary>Where the change was first proposed among the changes.</summary>
        public int Proposed { get; } = proposed;

        /// <summary>Where its owner was first proposed among the owners.</summary>
        public int Owner { get; set; }

        public DistinctStrings Names { get; } = new(StringComparer.OrdinalIgnoreCase);

        public DistinctStrings RuleIds { get; } = new(StringComparer.Ordinal);

        public Visibility? VisibleBy { get; set; }

        /// <summary>True when a finding that concerns every name of the diagnosis proposes the record.</summary>
        public bool EveryName { get; set; }
    }
}
