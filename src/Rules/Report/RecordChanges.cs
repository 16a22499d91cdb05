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

    public static async Task<IReadOnlyList<RecordChange>?> CollectAsync(DiagnosisContext context, IReadOnlyList<Finding> reported, IEnumerable<Finding> all,
        IReadOnlyList<string> nameOrder, CancellationToken cancellationToken)
    {
        var changes = new Dictionary<ChangeKey, Gathered>();
        var order = new List<ChangeKey>();
        foreach (var finding in reported)
        {
            foreach (var record in finding.Remediation?.Records ?? [])
            {
                var key = ChangeKey.Of(record);
                if (!changes.TryGetValue(key, out var gathered))
                {
                    gathered = new Gathered(record);
                    changes[key] = gathered;
                    order.Add(key);
                }

                if (finding.Remediation!.VisibleBy is { } visible && (gathered.VisibleBy is null || visible.At > gathered.VisibleBy.At))
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
        foreach (var finding in all)
        {
            foreach (var record in finding.Remediation?.Records ?? [])
            {
                if (changes.TryGetValue(ChangeKey.Of(record), out var gathered))
                {
                    // A finding about every name (made once) serves them all.
                    gathered.EveryName |= finding.ConcernsEveryName;
                    gathered.Names.Add(finding.Name);
                    gathered.RuleIds.Add(finding.RuleId);
                }
            }
        }

        // Each name's place in the diagnosis, made only when a change lists names of its own (an audit's zone-wide
        // change serves every name, and a dictionary of 400k names would be made for nothing).
        Dictionary<string, int>? positions = null;
        int Position(string name) => (positions ??= nameOrder.Select((name, index) => (name, index)).GroupBy(x => x.name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().index, StringComparer.OrdinalIgnoreCase)).GetValueOrDefault(name, int.MaxValue);
        var removed = order.Where(key => key.Action == RecordAction.Remove).ToHashSet();
        var result = new List<RecordChange>(order.Count);
        // Grouped by owner, in the order owners were first proposed; at each owner, what goes before what comes
        // (a TXT removed before the CNAME that replaces it can be added).
        var owners = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in order)
        {
            owners.TryAdd(key.Name, owners.Count);
        }

        foreach (var key in order.OrderBy(key => owners[key.Name]).ThenBy(key => key.Action switch { RecordAction.Remove => 0, RecordAction.Change => 1, _ => 2 }))
        {
            var gathered = changes[key];
            var record = gathered.First;
            var keep = key.Action != RecordAction.Remove && record.Type == "CAA"
                ? await KeptAsync(context, record.Name, removed, cancellationToken).ConfigureAwait(false)
                : null;
            // Serving every name, the change lists the diagnosis's first names in its order: nothing to sort.
            var names = gathered.EveryName
                ? nameOrder.Take(MaxNamesListed).ToList()
                : gathered.Names.OrderBy(Position).ThenBy(name => name, StringComparer.OrdinalIgnoreCase)
                    .Take(MaxNamesListed).ToList();
            var nameCount = gathered.EveryName ? nameOrder.Count : gathered.Names.Count;
            result.Add(new RecordChange(record.Action, record.Name, record.Host, record.Type, record.Ttl, record.Value, record.ZoneLine,
                names, gathered.RuleIds.Order(StringComparer.Ordinal).ToList())
            {
                Form = record.Form,
                Keep = keep,
                VisibleBy = gathered.VisibleBy,
                NameCount = nameCount > MaxNamesListed ? nameCount : null,
            });
        }

        return result;
    }

    /// <summary>
    /// The CAA records at <paramref name="owner"/> itself (not through a CNAME) that no change removes, as
    /// the diagnosis's view has them: the question was already asked by the CAA rules, so it costs nothing.
    /// </summary>
    private static async Task<IReadOnlyList<string>?> KeptAsync(DiagnosisContext context, string owner, HashSet<ChangeKey> removed, CancellationToken cancellationToken)
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

        return answer.Matching
            .Where(r => r.Owner == name && !removed.Contains(new ChangeKey(RecordAction.Remove, r.Owner.Text, "CAA", r.Data.ToString())))
            .Select(r => r.ToZoneLine())
            .ToList();
    }

    /// <summary>The listed change that is <paramref name="record"/>, for a reader holding one finding's record (the plain answers); null when not listed.</summary>
    public static Func<RemediationRecord, RecordChange?> Index(IReadOnlyList<RecordChange>? changes)
    {
        var byKey = new Dictionary<ChangeKey, RecordChange>();
        foreach (var change in changes ?? [])
        {
            byKey.TryAdd(new ChangeKey(change.Action, change.Name, change.Type, change.Value), change);
        }

        return record => byKey.GetValueOrDefault(ChangeKey.Of(record));
    }

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

    private sealed class Gathered(RemediationRecord first)
    {
        public RemediationRecord First { get; } = first;

        public HashSet<string> Names { get; } = new(StringComparer.OrdinalIgnoreCase);

        public HashSet<string> RuleIds { get; } = new(StringComparer.Ordinal);

        public Visibility? VisibleBy { get; set; }

        /// <summary>True when a finding that concerns every name of the diagnosis proposes the record.</summary>
        public bool EveryName { get; set; }
    }
}
