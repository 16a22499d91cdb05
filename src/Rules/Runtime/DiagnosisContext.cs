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
    private readonly ConcurrentDictionary<object, Lazy<Task<object>>> _memo = new();

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
    public async Task<T> Memo<TKey, T>(TKey key, Func<Task<T>> compute)
        where TKey : struct, IEquatable<TKey>
        where T : class
    {
        var entry = _memo.GetOrAdd(key, _ => new Lazy<Task<object>>(async () => await compute().ConfigureAwait(false)));
        return (T)await entry.Value.ConfigureAwait(false);
    }
}
