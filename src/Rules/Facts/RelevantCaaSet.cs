using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Facts;

public enum CaaSetStatus
{
    /// <summary>A non-empty CAA RRset was found at <see cref="RelevantCaaSet.Owner"/>.</summary>
    Found,

    /// <summary>No CAA record anywhere on the climb: CAA does not restrict issuance.</summary>
    None,

    /// <summary>A lookup on the climb failed or could not be made: the CA must refuse to issue (RFC 8659 §3).</summary>
    NotCheckable,
}

/// <summary>
/// The relevant CAA RRset of a name (RFC 8659 §3): the first non-empty CAA RRset found climbing from
/// the name (without a leading <c>*.</c>) toward the root, following CNAMEs at each level.
/// </summary>
public sealed record RelevantCaaSet(
    DnsName Requested,
    CaaSetStatus Status,
    DnsName? Owner,
    IReadOnlyList<ResourceRecord> Records,
    IReadOnlyList<ResourceRecord> CnameChain,
    IReadOnlyList<DnsName> Checked,
    string? Detail,
    DnsName? CheckedUpTo)
{
    public bool IsWildcard => Requested.IsWildcard;

    /// <summary>
    /// For <see cref="CaaSetStatus.NotCheckable"/>: whether a lookup failed (the view answered Failure, and
    /// why, in <see cref="FailedBecause"/>) or could not be made from the data at hand (offline, another zone).
    /// </summary>
    public bool LookupFailed { get; init; }

    /// <summary>Why the failed lookup failed (<see cref="LookupFailed"/>), as the view classified it.</summary>
    public FailureKind FailedBecause { get; init; }

    /// <summary>The name the climb starts from: the requested name without its <c>*.</c> label.</summary>
    public DnsName LookupName => Requested.IsWildcard ? Requested.Parent : Requested;

    public IEnumerable<(ResourceRecord Record, CaaData Data)> Properties =>
        Records.Select(record => (record, (CaaData)record.Data));

    /// <summary>Finds the set once per diagnosis and name; all CAA rules share it.</summary>
    public static Task<RelevantCaaSet> For(DiagnosisContext context, DnsName requested, CancellationToken cancellationToken) =>
        context.Memo(new CaaSetKey(requested), (context, requested, cancellationToken), static s => Climb(s.context, s.requested, s.cancellationToken));

    /// <summary>
    /// Finds the set without keeping it in the diagnosis's memo: for a caller that keeps every name's set itself (the CAA
    /// rules' facts, for an audit's thousands of names), where a memo entry per name was a quarter of what each set held.
    /// </summary>
    internal static Task<RelevantCaaSet> Find(DiagnosisContext context, DnsName requested, CancellationToken cancellationToken) =>
        Climb(context, requested, cancellationToken).AsTask();

    private static async ValueTask<RelevantCaaSet> Climb(DiagnosisContext context, DnsName requested, CancellationToken cancellationToken)
    {
        var apex = context.Zone?.Data.Apex;
        var start = requested.IsWildcard ? requested.Parent : requested;
        if (context.View.AnswersFromMemory)
        {
            // Answers from memory come back at once: asked level by level, stopping at the first set (or failure),
            // the climb gives what asking every level together gives, without the questions above that level —
            // a zone audit asks about names that hold a set of their own, so one question instead of one per level.
            var asked = new List<DnsName>();
            for (var name = start; !name.IsRoot && !AboveZone(name, apex); name = name.Parent)
            {
                asked.Add(name);
                var answer = await context.View.QueryAsync(name, RecordType.CAA, cancellationToken).ConfigureAwait(false);
                if (Settled(requested, name, answer, asked) is { } settled)
                {
                    return settled;
                }
            }

            return new RelevantCaaSet(requested, CaaSetStatus.None, null, [], [], asked, null, asked.LastOrDefault());
        }

        var levels = new List<DnsName>();
        for (var name = start; !name.IsRoot && !AboveZone(name, apex); name = name.Parent)
        {
            levels.Add(name);
        }

        // Every level is asked at once, as CAs do (Boulder, for one): the answer is the first non-empty set
        // in climbing order, and a failure below it means the CA must refuse.
        var answers = await AtOnce.Ask(levels, (context.View, cancellationToken), static (level, s) => s.View.QueryAsync(level, RecordType.CAA, s.cancellationToken))
            .ConfigureAwait(false);
        var checkedNames = new List<DnsName>();
        for (var i = 0; i < levels.Count; i++)
        {
            checkedNames.Add(levels[i]);
            if (Settled(requested, levels[i], answers[i], checkedNames) is { } settled)
            {
                return settled;
            }
        }

        return new RelevantCaaSet(requested, CaaSetStatus.None, null, [], [], checkedNames, null, checkedNames.LastOrDefault());
    }

    /// <summary>
    /// True above the zone's apex: zone text says nothing about the parent zones (com., co.uk.), and they
    /// practically never publish CAA.
    /// </summary>
    private static bool AboveZone(DnsName name, DnsName? apex) => apex is not null && name != apex && apex.IsSubdomainOf(name);

    /// <summary>The set the climb ends with at <paramref name="name"/> (found, or not checkable); null when it goes on climbing.</summary>
    private static RelevantCaaSet? Settled(DnsName requested, DnsName name, DnsAnswer answer, List<DnsName> checkedNames) => answer.Status switch
    {
        AnswerStatus.Answer => new RelevantCaaSet(requested, CaaSetStatus.Found, name, answer.Matching, answer.CnameChain, checkedNames, null, name),
        AnswerStatus.NoData or AnswerStatus.NameError => null,
        _ => new RelevantCaaSet(requested, CaaSetStatus.NotCheckable, name, [], answer.CnameChain, checkedNames,
            answer.Detail ?? $"the CAA lookup at {name.Text} failed", name)
        {
            LookupFailed = answer.Status == AnswerStatus.Failure,
            FailedBecause = answer.FailedBecause,
        },
    };
}

/// <summary>The memo key of one name's relevant CAA set.</summary>
internal readonly record struct CaaSetKey(DnsName Requested);
