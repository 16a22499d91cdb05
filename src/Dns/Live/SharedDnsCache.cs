using System.Collections.Concurrent;
using System.Net;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;

namespace RulesApi.Dns.Live;

/// <summary>
/// What a resolver may keep from one diagnosis to the next: the delegations of the zones above the
/// customer's (the root's referrals to the TLDs, and to the registries named in
/// <see cref="LiveDnsOptions.SharedCacheZones"/>) with their servers' addresses, and the DNSSEC keys and
/// DS sets of those zones. Shared by every diagnosis of one <see cref="LiveDnsOptions"/>, bounded in size,
/// each entry kept no longer than its TTL (and <see cref="LiveDnsOptions.SharedCacheMaxTtlSeconds"/>).
/// </summary>
/// <remarks>
/// The customer's own zone is never answered from here: its delegation, its records and its DS set are
/// what is being diagnosed, and each diagnosis asks them afresh. Only names that are the root, a TLD or a
/// configured registry zone are kept, so a question about anything below can never hit. A hit is logged in
/// the diagnosis's query log, marked as coming from this cache.
/// </remarks>
public sealed class SharedDnsCache
{
    /// <summary>What the query log shows as the server of an answer taken from this cache.</summary>
    public const string LogServer = "cache";

    private readonly LiveDnsOptions _options;
    private readonly TimeProvider _clock;
    private readonly HashSet<DnsName> _registryZones;
    private readonly ConcurrentDictionary<DnsName, Entry<Delegation>> _referrals = new();
    private readonly ConcurrentDictionary<(string Server, DnsName Name, ushort Type), Entry<ServerAnswer>> _answers = new();
    private readonly ConcurrentDictionary<(DnsName Name, ushort Type), Entry<DnsAnswer>> _resolved = new();

    private sealed record Entry<T>(T Value, DateTimeOffset Expires);

    public SharedDnsCache(LiveDnsOptions options, TimeProvider? clock = null)
    {
        _options = options;
        _clock = clock ?? TimeProvider.System;
        _registryZones = options.SharedCacheZones.Select(text => DnsName.Parse(text.TrimEnd('.') + ".")).ToHashSet();
        DnsTelemetry.Track(this);
    }

    /// <summary>How many entries are held now (referrals and answers).</summary>
    public int Count => _referrals.Count + _answers.Count + _resolved.Count;

    /// <summary>Hits since the cache was made: for the benchmarks and the metrics.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    private long _hits;

    /// <summary>Whether answers about <paramref name="zone"/> may be kept: the root, a TLD, or a configured registry zone.</summary>
    public bool IsShared(DnsName zone) =>
        _options.SharedCacheEntries > 0 && (zone.LabelCount <= 1 || _registryZones.Contains(zone));

    /// <summary>The delegation of <paramref name="cut"/> when one is held and has not expired.</summary>
    public Delegation? Referral(DnsName cut) => Take(_referrals, cut, "referral");

    /// <summary>Keeps a delegation of a shared zone for <paramref name="ttl"/> seconds (capped); anything else is ignored.</summary>
    public void Keep(Delegation referral, uint ttl)
    {
        if (IsShared(referral.Cut) && !referral.Cut.IsRoot && referral.Addresses.Count > 0)
        {
            Put(_referrals, referral.Cut, referral, ttl);
        }
    }

    /// <summary>One server's answer about a shared zone's keys or DS set, when held and not expired.</summary>
    public ServerAnswer? Answer(string server, DnsName name, RecordType type) =>
        IsKept(name, type) ? Take(_answers, (server, name, type.Value), "server-answer") : null;

    /// <summary>Keeps one server's answer about a shared zone's DNSKEY, DS or RRSIG set, for as long as its TTLs allow.</summary>
    public void Keep(string server, DnsName name, RecordType type, ServerAnswer answer)
    {
        if (IsKept(name, type) && Lifetime(answer.Answer) is { } ttl)
        {
            Put(_answers, (server, name, type.Value), answer, ttl);
        }
    }

    /// <summary>
    /// How long an answer may be kept: a positive one (no alias on the way) for its smallest TTL, a NODATA
    /// for the SOA's negative-caching TTL (RFC 2308 §5: min of the SOA's TTL and MINIMUM); nothing else.
    /// </summary>
    private static uint? Lifetime(DnsAnswer answer) => answer.Status switch
    {
        AnswerStatus.Answer when answer.Records.Count > 0 && answer.Records.All(r => r.Type == answer.Type && r.Owner == answer.Question) =>
            answer.Records.Concat(answer.Proof).Min(r => r.Ttl),
        AnswerStatus.NoData when answer.Records.Count == 0 && answer.Soa is { Data: SoaData soa } record => Math.Min(record.Ttl, soa.Minimum),
        _ => null,
    };

    /// <summary>The resolved answer about a shared zone's DNSKEY, DS or RRSIG set, when held and not expired.</summary>
    public DnsAnswer? Answer(DnsName name, RecordType type) =>
        IsKept(name, type) ? Take(_resolved, (name, type.Value), "resolved") : null;

    /// <summary>Keeps a resolved answer about a shared zone's DNSKEY, DS or RRSIG set, for as long as its TTLs allow.</summary>
    public void Keep(DnsAnswer answer)
    {
        if (IsKept(answer.Question, answer.Type) && Lifetime(answer) is { } ttl)
        {
            Put(_resolved, (answer.Question, answer.Type.Value), answer, ttl);
        }
    }

    private bool IsKept(DnsName name, RecordType type) =>
        type.Value is RecordType.Codes.DNSKEY or RecordType.Codes.DS or RecordType.Codes.RRSIG && IsShared(name);

    /// <param name="kind">What is looked up, for the hit and miss counts (<see cref="DnsTelemetry"/>).</param>
    private T? Take<TKey, T>(ConcurrentDictionary<TKey, Entry<T>> entries, TKey key, string kind)
        where TKey : notnull
        where T : class
    {
        if (!entries.TryGetValue(key, out var entry))
        {
            DnsTelemetry.CacheLookup(kind, hit: false);
            return null;
        }

        if (entry.Expires <= _clock.GetUtcNow())
        {
            entries.TryRemove(KeyValuePair.Create(key, entry));
            DnsTelemetry.CacheLookup(kind, hit: false);
            return null;
        }

        Interlocked.Increment(ref _hits);
        DnsTelemetry.CacheLookup(kind, hit: true);
        return entry.Value;
    }

    private void Put<TKey, T>(ConcurrentDictionary<TKey, Entry<T>> entries, TKey key, T value, uint ttl)
        where TKey : notnull
    {
        var seconds = Math.Min(ttl, (uint)Math.Max(0, _options.SharedCacheMaxTtlSeconds));
        if (seconds == 0)
        {
            return;
        }

        if (Count >= _options.SharedCacheEntries && !entries.ContainsKey(key))
        {
            Evict();
            if (Count >= _options.SharedCacheEntries)
            {
                // Full of live entries: what is held keeps serving, the newcomer is asked afresh next time.
                return;
            }
        }

        entries[key] = new Entry<T>(value, _clock.GetUtcNow().AddSeconds(seconds));
    }

    /// <summary>Drops every expired entry, then, if still full, the half that expires soonest.</summary>
    private void Evict()
    {
        var now = _clock.GetUtcNow();
        foreach (var (key, entry) in _referrals.Where(pair => pair.Value.Expires <= now).ToList())
        {
            _referrals.TryRemove(KeyValuePair.Create(key, entry));
        }

        foreach (var (key, entry) in _answers.Where(pair => pair.Value.Expires <= now).ToList())
        {
            _answers.TryRemove(KeyValuePair.Create(key, entry));
        }

        foreach (var (key, entry) in _resolved.Where(pair => pair.Value.Expires <= now).ToList())
        {
            _resolved.TryRemove(KeyValuePair.Create(key, entry));
        }

        if (Count < _options.SharedCacheEntries)
        {
            return;
        }

        foreach (var pair in _answers.OrderBy(pair => pair.Value.Expires).Take(_answers.Count / 2).ToList())
        {
            _answers.TryRemove(pair);
        }

        foreach (var pair in _resolved.OrderBy(pair => pair.Value.Expires).Take(_resolved.Count / 2).ToList())
        {
            _resolved.TryRemove(pair);
        }

        foreach (var pair in _referrals.OrderBy(pair => pair.Value.Expires).Take(_referrals.Count / 2).ToList())
        {
            _referrals.TryRemove(pair);
        }
    }
}

/// <summary>A delegation as a referral gave it: the zone cut, the parent's NS names for it (all of them, in the referral's order), and the servers and addresses followed.</summary>
/// <param name="Omitted">When a cap left servers of the delegation out, which and why.</param>
public sealed record Delegation(DnsName Cut, IReadOnlyList<DnsName> Names, IReadOnlyList<NameServerAddress> Servers, IReadOnlyList<IPAddress> Addresses, string? Omitted);
