using System.Collections.Concurrent;
using RulesApi.Dns.Names;
using RulesApi.Dns.Views;
using RulesApi.Dns.ZoneFiles;
using RulesApi.Rules.Facts;

namespace RulesApi.Rules.Runtime;

/// <summary>The zone text being audited, with its index and structural problems, when the input was a zone.</summary>
public sealed record ZoneInput(ParsedZone Parsed, ZoneData Data, IReadOnlyList<ZoneProblem> Problems)
{
    public static ZoneInput From(ParsedZone parsed, DnsName apex)
    {
        var data = ZoneData.Build(parsed, apex);
        return new ZoneInput(parsed, data, ZoneIntegrity.Check(parsed, data));
    }
}

/// <summary>
/// Everything one diagnosis shares between its rules: the subject, the DNS view (the only way a rule
/// learns DNS facts), the zone text when there is one, the profile, and a memo so that work several
/// rules need (the relevant CAA set of a name) is done once per diagnosis.
/// </summary>
public sealed class DiagnosisContext
{
    private readonly ConcurrentDictionary<object, Task> _memo = new();

    public DiagnosisContext(Subject subject, IDnsView view, ZoneInput? zone = null, RuleProfile? profile = null)
    {
        Subject = subject;
        View = view;
        Zone = zone;
        Profile = profile ?? RuleProfile.Default;
    }

    public Subject Subject { get; }

    public IDnsView View { get; }

    public ZoneInput? Zone { get; }

    public RuleProfile Profile { get; }

    /// <summary>"Now" for time estimates; the engine sets its own clock (a fixed one in tests).</summary>
    public TimeProvider Clock { get; internal set; } = TimeProvider.System;

    /// <summary>
    /// Runs <paramref name="compute"/> once per key for this diagnosis; later callers share its result. The
    /// key is a record struct of the fact's own (<c>new CaaSetKey(name)</c>): its type says which fact, its
    /// fields which instance, so two facts can never collide the way concatenated strings could.
    /// </summary>
    public Task<T> Memo<TKey, T>(TKey key, Func<Task<T>> compute)
        where TKey : struct, IEquatable<TKey>
        where T : class =>
        Memo(key, compute, static compute => compute());

    /// <summary>
    /// <see cref="Memo{TKey, T}(TKey, Func{Task{T}})"/> with what the computation needs passed in: with a <c>static</c> lambda,
    /// a call that finds the fact makes no closure and no delegate (a fixture diagnosis asks its shared facts ~40 times,
    /// and each call made both: 2 KB of its 40).
    /// </summary>
    public Task<T> Memo<TKey, TState, T>(TKey key, TState state, Func<TState, Task<T>> compute)
        where TKey : struct, IEquatable<TKey>
        where T : class
    {
        if (key.Equals(default) && WholeDiagnosisSlot<TKey>.Index < WholeDiagnosisSlots)
        {
            // A fact of the whole diagnosis (its key has no fields: CaaFactsKey, DnssecFactsKey…) has a slot of its own, found
            // by its key type: most calls are for these (each rule of a family asks for the family's facts), and a lookup
            // in the dictionary cost a hash and a virtual Equals of the boxed key.
            ref var slot = ref _wholeDiagnosis[WholeDiagnosisSlot<TKey>.Index];
            if (Volatile.Read(ref slot) is { } found)
            {
                return (Task<T>)found;
            }

            var claimed = new TaskCompletionSource<T>();
            return Interlocked.CompareExchange(ref slot, claimed.Task, null) is { } raced ? (Task<T>)raced : Claim.Complete(claimed, state, compute);
        }

        // Most calls find the fact already there: no lock, no allocation beyond the boxed key.
        var boxed = key.Equals(default) ? BoxedDefault<TKey>.Value : key;
        if (_memo.TryGetValue(boxed, out var known))
        {
            return (Task<T>)known;
        }

        // The first caller to claim the key computes it; any caller that raced it waits on the same task.
        // (A Lazy did the same with a lock per fact, which showed in profiles of offline diagnoses.)
        var claim = new TaskCompletionSource<T>();
        var entry = _memo.GetOrAdd(boxed, claim.Task);
        return ReferenceEquals(entry, claim.Task) ? Claim.Complete(claim, state, compute) : (Task<T>)entry;
    }

    /// <summary>Slots for facts of the whole diagnosis; key types beyond as many (plugins' own) go to the dictionary.</summary>
    private const int WholeDiagnosisSlots = 16;

    private readonly Task?[] _wholeDiagnosis = new Task?[WholeDiagnosisSlots];

    private static int s_wholeDiagnosisSlotsTaken;

    /// <summary>The slot of a key type's default value, given out the first time the type is used (the same in every diagnosis).</summary>
    private static class WholeDiagnosisSlot<TKey>
        where TKey : struct
    {
        public static readonly int Index = Interlocked.Increment(ref s_wholeDiagnosisSlotsTaken) - 1;
    }

    /// <summary>A key type's default value, boxed once (equal to every other box of it, as a memo key must be).</summary>
    private static class BoxedDefault<TKey>
        where TKey : struct
    {
        public static readonly object Value = default(TKey);
    }
}
