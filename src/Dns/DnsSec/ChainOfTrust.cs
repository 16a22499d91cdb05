using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;

namespace RulesApi.Dns.DnsSec;

public enum TrustStatus
{
    /// <summary>Every link from the trust anchor to the zone's keys validates.</summary>
    Secure,

    /// <summary>A parent has no DS for the zone below it: validators treat the zone as unsigned.</summary>
    Insecure,

    /// <summary>A link fails: validators answer SERVFAIL for the zone's names.</summary>
    Bogus,

    /// <summary>The chain could not be followed (no trust anchor, an unsigned lab root, a failed lookup).</summary>
    Unknown,
}

/// <summary>Where a broken chain breaks: the DS-to-key link of the zone itself (SEC001/SEC002's), or a signature or a key above.</summary>
public enum TrustBreak
{
    None,
    KeysMatchNoDs,
    NoKeys,
    Signature,
    Anchor,
}

/// <summary>The state of the chain of trust down to one zone, with its validated keys when secure.</summary>
public sealed record TrustState(DnsName Zone, TrustStatus Status, IReadOnlyList<ZoneKey> Keys, string Detail, TrustBreak Break = TrustBreak.None, DnsName? BrokenAt = null);

/// <summary>
/// Follows the chain of trust from the view's trust anchor (RFC 4035 §5): the root's DNSKEY set against
/// the anchor, then for each zone the DS set signed by the parent's keys, and the zone's DNSKEY set
/// signed by a key a DS names. The records are fetched with ordinary questions (DS from the parent,
/// RRSIG questions for the signatures, the DS signatures from the parent's own servers). Each zone is
/// worked out once per instance (one per diagnosis); a zone's questions go out while its parent is still
/// being validated. Not a rule: the SEC rules judge what it finds.
/// </summary>
public sealed class ChainOfTrust
{
    private readonly IDnsView _dns;
    private readonly IServerView _servers;
    private readonly DateTimeOffset _now;

    /// <summary>
    /// The zones followed so far, under a lock: a diagnosis follows a handful of zones (three for a fixture), and a
    /// ConcurrentDictionary cost its buckets, locks and nodes (~600 bytes) for each diagnosis that looked at DNSSEC.
    /// The lock is held only to look up or claim a zone, never while one is followed.
    /// </summary>
    private readonly Dictionary<DnsName, Task<TrustState>> _zones = [];

    /// <param name="now">The moment signatures are judged at (the diagnosis's clock).</param>
    public ChainOfTrust(IDnsView dns, IServerView servers, DateTimeOffset now)
    {
        _dns = dns;
        _servers = servers;
        _now = now;
    }

    /// <summary>The state of the chain down to the zone at <paramref name="apex"/>, followed once.</summary>
    public Task<TrustState> For(DnsName apex, CancellationToken cancellationToken)
    {
        // The first caller to claim the zone follows its chain; a caller that raced it waits on the same task. (A Lazy per
        // zone did the same with a lock, a closure and a delegate each, for every zone of every diagnosis.)
        TaskCompletionSource<TrustState> claim;
        lock (_zones)
        {
            if (_zones.TryGetValue(apex, out var known))
            {
                return known;
            }

            claim = new TaskCompletionSource<TrustState>();
            _zones.Add(apex, claim.Task);
        }

        return Claim.Complete(claim, (chain: this, apex, cancellationToken), static s => s.chain.Follow(s.apex, s.cancellationToken));
    }

    private async ValueTask<TrustState> Follow(DnsName apex, CancellationToken cancellationToken)
    {
        var view = _servers;
        // Each answer is awaited at most once (a ValueTask each: no task when the view has the answer).
        ValueTask<DnsAnswer> Ask(DnsName name, RecordType type) => _dns.QueryAsync(name, type, cancellationToken);
        var now = _now;
        var keysTask = Ask(apex, RecordType.DNSKEY);
        var keySignaturesTask = Ask(apex, RecordType.RRSIG);
        if (apex.IsRoot)
        {
            if (view.TrustAnchors.Count == 0)
            {
                return new TrustState(apex, TrustStatus.Unknown, [], "no trust anchor is configured");
            }

            var rootKeys = (await keysTask.ConfigureAwait(false)).Matching;
            if (rootKeys.Count == 0)
            {
                return new TrustState(apex, TrustStatus.Unknown, [], "the root zone asked is not signed (a lab hierarchy)");
            }

            var anchored = KeysMatching(rootKeys, view.TrustAnchors, apex);
            if (anchored.Count == 0)
            {
                return new TrustState(apex, TrustStatus.Bogus, [], "none of the root's keys matches the trust anchor", TrustBreak.Anchor, apex);
            }

            return KeysSignedBy(apex, rootKeys, (await keySignaturesTask.ConfigureAwait(false)).Matching, anchored, now);
        }

        var parentZone = await view.FindZoneServersAsync(apex.Parent, cancellationToken).ConfigureAwait(false);
        if (parentZone.Failure is not null)
        {
            return new TrustState(apex, TrustStatus.Unknown, [], parentZone.Failure);
        }

        var dsTask = Ask(apex, RecordType.DS);
        ValueTask<ServerAnswer>? dsSignaturesTask = FirstWithAddress(parentZone.Servers) is { } parentServer
            ? view.AskServerAsync(parentServer, apex, RecordType.RRSIG, cancellationToken)
            : null;
        var parent = await For(parentZone.Apex, cancellationToken).ConfigureAwait(false);
        if (parent.Status != TrustStatus.Secure)
        {
            return parent with { Zone = apex, Keys = [] };
        }

        var ds = await dsTask.ConfigureAwait(false);
        if (ds.Status is AnswerStatus.NoData or AnswerStatus.NameError)
        {
            return new TrustState(apex, TrustStatus.Insecure, [], $"{parentZone.Apex.Text} has no DS for {apex.Text}: validators treat it as unsigned");
        }

        if (ds.Status != AnswerStatus.Answer)
        {
            return new TrustState(apex, TrustStatus.Unknown, [], ds.Detail ?? $"the DS question for {apex.Text} failed");
        }

        var dsSignatures = dsSignaturesTask is { } askedParent ? (await askedParent.ConfigureAwait(false)).Answer.Matching : [];
        var dsCheck = RrsetVerifier.Check(ds.Matching, dsSignatures, parent.Keys, parentZone.Apex, now);
        if (dsCheck.Status != RrsetStatus.Secure)
        {
            return new TrustState(apex, TrustStatus.Bogus, [], $"the DS set for {apex.Text} in {parentZone.Apex.Text}: {dsCheck.Detail}", TrustBreak.Signature, parentZone.Apex);
        }

        var keys = (await keysTask.ConfigureAwait(false)).Matching;
        if (keys.Count == 0)
        {
            return new TrustState(apex, TrustStatus.Bogus, [], $"{apex.Text} has DS records but no DNSKEY", TrustBreak.NoKeys, apex);
        }

        var entry = KeysMatching(keys, DsOf(ds.Matching), apex);
        if (entry.Count == 0)
        {
            return new TrustState(apex, TrustStatus.Bogus, [], $"no DS for {apex.Text} matches one of its keys", TrustBreak.KeysMatchNoDs, apex);
        }

        return KeysSignedBy(apex, keys, (await keySignaturesTask.ConfigureAwait(false)).Matching, entry, now);
    }

    /// <remarks>
    /// Loops, not LINQ: the lambdas captured the apex, which made Follow allocate a closure at every zone of every diagnosis
    /// (captured variables of an async method live in one closure made when it starts), besides an iterator and a delegate.
    /// </remarks>
    private static List<ResourceRecord> KeysMatching(IReadOnlyList<ResourceRecord> keys, IReadOnlyList<DsData> ds, DnsName apex)
    {
        var matching = new List<ResourceRecord>();
        foreach (var record in keys)
        {
            if (record.Data is DnsKeyData key && Matches(ds, apex, key))
            {
                matching.Add(record);
            }
        }

        return matching;
    }

    private static bool Matches(IReadOnlyList<DsData> ds, DnsName apex, DnsKeyData key)
    {
        foreach (var d in ds)
        {
            if (DnsSecCrypto.Matches(d, apex, key))
            {
                return true;
            }
        }

        return false;
    }

    private static NameServerAddress? FirstWithAddress(IReadOnlyList<NameServerAddress> servers)
    {
        for (var i = 0; i < servers.Count; i++)
        {
            if (servers[i].Address is not null)
            {
                return servers[i];
            }
        }

        return null;
    }

    private static List<DsData> DsOf(IReadOnlyList<ResourceRecord> records)
    {
        var ds = new List<DsData>(records.Count);
        foreach (var record in records)
        {
            if (record.Data is DsData data)
            {
                ds.Add(data);
            }
        }

        return ds;
    }

    // The DNSKEY set must be signed by one of the keys vouched for from above.
    private static TrustState KeysSignedBy(DnsName apex, IReadOnlyList<ResourceRecord> keys, IReadOnlyList<ResourceRecord> signatures,
        IReadOnlyList<ResourceRecord> vouched, DateTimeOffset now)
    {
        var check = RrsetVerifier.Check(keys, signatures, ZoneKey.From(vouched), apex, now);
        return check.Status == RrsetStatus.Secure
            ? new TrustState(apex, TrustStatus.Secure, ZoneKey.From(keys), check.Detail)
            : new TrustState(apex, TrustStatus.Bogus, [], $"the DNSKEY set of {apex.Text}: {check.Detail}", TrustBreak.Signature, apex);
    }
}
