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
    /// <summary>Facts of key types beyond the slots (plugins' own): made at the first such fact.</summary>
    private ConcurrentDictionary<object, Task>? _memo;

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
        where T : class =>
        Memo(key, (state, compute), static s => new ValueTask<T>(s.compute(s.state)));

    /// <summary>
    /// <see cref="Memo{TKey, TState, T}(TKey, TState, Func{TState, Task{T}})"/> for a computation that returns a ValueTask: one that
    /// completes at once (every fact of an offline diagnosis) makes no task of its own, only the one callers share.
    /// </summary>
    public Task<T> Memo<TKey, TState, T>(TKey key, TState state, Func<TState, ValueTask<T>> compute)
        where TKey : struct, IEquatable<TKey>
        where T : class
    {
        var slotIndex = KeyTypeSlot<TKey>.Index;
        if (key.Equals(default) && slotIndex < KeyTypeSlots)
        {
            // A fact of the whole diagnosis (its key has no fields: CaaFactsKey, DnssecFactsKey…) has a slot of its own, found
            // by its key type: most calls are for these (each rule of a family asks for the family's facts), and a lookup
            // in the dictionary cost a hash and a virtual Equals of the boxed key.
            ref var slot = ref _wholeDiagnosis[slotIndex];
            if (Volatile.Read(ref slot) is { } found)
            {
                return (Task<T>)found;
            }

            var claimed = new TaskCompletionSource<T>();
            return Interlocked.CompareExchange(ref slot, claimed.Task, null) is { } raced ? (Task<T>)raced : Claim.Complete(claimed, state, compute);
        }

        if (slotIndex < KeyTypeSlots)
        {
            // A fact per name or per question (CaaSetKey, ValidationFactsKey…): the facts of its key type, found by the type.
            var keyed = LazyInitializer.EnsureInitialized(ref _keyed, static () => new object?[KeyTypeSlots]);
            var facts = (KeyedFacts<TKey>)LazyInitializer.EnsureInitialized(ref keyed[slotIndex], static () => new KeyedFacts<TKey>());
            return facts.Find(key, out TaskCompletionSource<T>? claimed) is { } found ? (Task<T>)found : Claim.Complete(claimed!, state, compute);
        }

        // Most calls find the fact already there: no lock, no allocation beyond the boxed key.
        var memo = LazyInitializer.EnsureInitialized(ref _memo, static () => new ConcurrentDictionary<object, Task>());
        var boxed = key.Equals(default) ? BoxedDefault<TKey>.Value : key;
        if (memo.TryGetValue(boxed, out var known))
        {
            return (Task<T>)known;
        }

        // The first caller to claim the key computes it; any caller that raced it waits on the same task.
        // (A Lazy did the same with a lock per fact, which showed in profiles of offline diagnoses.)
        var claim = new TaskCompletionSource<T>();
        var entry = memo.GetOrAdd(boxed, claim.Task);
        return ReferenceEquals(entry, claim.Task) ? Claim.Complete(claim, state, compute) : (Task<T>)entry;
    }

    /// <summary>
    /// Key types with slots of their own; key types beyond as many (plugins' own) go to the dictionary. Each key type has
    /// one slot index, used in both arrays: for its default value's fact, and for the facts of its other values.
    /// </summary>
    private const int KeyTypeSlots = 16;

    private readonly Task?[] _wholeDiagnosis = new Task?[KeyTypeSlots];

    /// <summary>Each key type's <see cref="KeyedFacts{TKey}"/>; made at the first fact with a key of fields (live, from any thread).</summary>
    private object?[]? _keyed;

    private static int s_keyTypeSlotsTaken;

    /// <summary>The slot of a key type, given out the first time the type is used (the same in every diagnosis).</summary>
    private static class KeyTypeSlot<TKey>
        where TKey : struct
    {
        public static readonly int Index = Interlocked.Increment(ref s_keyTypeSlotsTaken) - 1;
    }

    /// <summary>
    /// The facts of one key type, by key, under a lock held only to find or claim one. A diagnosis has a few of each
    /// type (a fixture: one validation, two questions per zone), compared in a list; an audit may have thousands of names,
    /// hashed once the list is long. Replaces a ConcurrentDictionary of boxed keys: its buckets, locks and nodes, and a
    /// boxed key at every call (rules ask for the same facts over and over), were a tenth of a fixture diagnosis's garbage.
    /// </summary>
    private sealed class KeyedFacts<TKey>
        where TKey : struct, IEquatable<TKey>
    {
        private const int ListedAtMost = 8;

        private (TKey Key, Task Fact)[] _listed = new (TKey, Task)[2];
        private int _count;
        private Dictionary<TKey, Task>? _hashed;

        /// <summary>The fact of the key when there is one; otherwise null, and the claim the caller is to complete.</summary>
        public Task? Find<T>(TKey key, out TaskCompletionSource<T>? claimed)
        {
            // On the instance itself: it is private to the context, so nothing else can lock it, and a lock object would be one more per key type.
            lock (this)
            {
                claimed = null;
                if (_hashed is not null)
                {
                    if (_hashed.TryGetValue(key, out var hashed))
                    {
                        return hashed;
                    }
                }
                else
                {
                    for (var i = 0; i < _count; i++)
                    {
                        if (_listed[i].Key.Equals(key))
                        {
                            return _listed[i].Fact;
                        }
                    }
                }

                claimed = new TaskCompletionSource<T>();
                Add(key, claimed.Task);
                return null;
            }
        }

        private void Add(TKey key, Task fact)
        {
            if (_hashed is not null)
            {
                _hashed.Add(key, fact);
                return;
            }

            if (_count == ListedAtMost)
            {
                _hashed = new Dictionary<TKey, Task>(ListedAtMost * 2);
                for (var i = 0; i < _count; i++)
                {
                    _hashed.Add(_listed[i].Key, _listed[i].Fact);
                }

                _hashed.Add(key, fact);
                _listed = [];
                return;
            }

            if (_count == _listed.Length)
            {
                Array.Resize(ref _listed, _listed.Length * 2);
            }

            _listed[_count++] = (key, fact);
        }
    }

    /// <summary>A key type's default value, boxed once (equal to every other box of it, as a memo key must be).</summary>
    private static class BoxedDefault<TKey>
        where TKey : struct
    {
        public static readonly object Value = default(TKey);
    }
}
