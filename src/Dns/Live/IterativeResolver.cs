using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using DnsClient;
using DnsClient.Protocol;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;

namespace RulesApi.Dns.Live;

/// <summary>
/// Resolves as a CA's resolver does: from the root servers, referral by referral down to the
/// authoritative servers, following CNAMEs from the top. Zone cuts learned from referrals are kept for
/// the diagnosis, so later questions start at the deepest known cut rather than the root.
/// </summary>
/// <remarks>
/// Referrals and glue are taken by the book (RFC 1034 §5.3.3, and the bailiwick rules resolvers adopted
/// against cache poisoning): a referral counts only when it names a zone that contains the name asked
/// and lies below the zone of the server that sent it; glue is used only for server names inside the
/// zone delegated; every other server name is resolved afresh. Every loop is bounded by the caps of
/// <see cref="LiveDnsOptions"/> and stops when the diagnosis is cancelled.
/// </remarks>
/// <param name="shared">Delegations of the zones above the customer's, kept across diagnoses; none when null.</param>
/// <param name="delegated">Told of every referral followed to a zone that is not shared: the zone that referred, and the delegation.</param>
internal sealed class IterativeResolver(IReadOnlyList<IPAddress> roots, int port, DnsTransport transport, DiagnosisMemo memo, DiagnosisLimits limits,
    SharedDnsCache? shared, LiveQueryLog log, Action<DnsName, Delegation>? delegated = null)
{
    // The NS names of a cut are the parent's delegation, as the referral gave them.
    private readonly ConcurrentDictionary<string, Delegation> _cuts = new(StringComparer.OrdinalIgnoreCase);

    private LiveDnsOptions Options => limits.Options;

    /// <summary>The answer to a question, asked once per diagnosis.</summary>
    public Task<DnsAnswer> QueryAsync(DnsName name, RecordType type, CancellationToken cancellationToken) =>
        QueryAsync(name, type, [], cancellationToken);

    /// <summary>The zone a name is in and its servers, found once per diagnosis.</summary>
    public Task<ZoneServers> FindZoneServersAsync(DnsName name, CancellationToken cancellationToken) =>
        memo.Zone(name, () => FindZone(name, cancellationToken)).WaitAsync(cancellationToken);

    /// <param name="resolving">The name servers whose addresses are being looked up on the way here: asking for one of them again would wait on itself.</param>
    private Task<DnsAnswer> QueryAsync(DnsName name, RecordType type, ImmutableHashSet<DnsName> resolving, CancellationToken cancellationToken) =>
        memo.Answer(name, type, () => ResolveOrRecallAsync(name, type, resolving, cancellationToken)).WaitAsync(cancellationToken);

    /// <summary>A shared zone's keys and DS set from what an earlier diagnosis learned (logged as cached); anything else resolved.</summary>
    private async Task<DnsAnswer> ResolveOrRecallAsync(DnsName name, RecordType type, ImmutableHashSet<DnsName> resolving, CancellationToken cancellationToken)
    {
        if (shared?.Answer(name, type) is { } kept)
        {
            log.Record(new QueryLogEntry(SharedDnsCache.LogServer, name.Text, type.ToString(), "NOERROR", false, "", 0) { Cached = true });
            return kept;
        }

        var answer = await ResolveAsync(name, type, resolving, cancellationToken).ConfigureAwait(false);
        shared?.Keep(answer);
        return answer;
    }

    private async Task<DnsAnswer> ResolveAsync(DnsName question, RecordType type, ImmutableHashSet<DnsName> resolving, CancellationToken cancellationToken)
    {
        var chain = new List<ResourceRecord>();
        var name = question;
        // The DS set of a zone is served by its parent (RFC 4035 §2.4): start above the name's own cut.
        var zone = type == RecordType.DS && !name.IsRoot ? ClosestCut(name.Parent) : ClosestCut(name);
        var referrals = 0;
        while (true)
        {
            var asked = await AskAny(zone, name, type, cancellationToken).ConfigureAwait(false);
            if (asked.Response is not { } response)
            {
                return new DnsAnswer(question, type, AnswerStatus.Failure, chain, name, asked.Failure) { LimitReached = asked.LimitReached, FailedBecause = asked.Kind };
            }

            var answers = DnsTransport.Convert(response.Answers);
            var matching = answers.Where(r => r.Type == type && r.Owner == name).ToList();
            if (matching.Count > 0)
            {
                chain.AddRange(matching);
                return new DnsAnswer(question, type, AnswerStatus.Answer, chain, name);
            }

            if (answers.FirstOrDefault(r => r.Type == RecordType.CNAME && r.Owner == name) is { Data: NameData cname } alias)
            {
                // Follow the alias from the top: its target may live in any zone. A DNAME comes with the
                // CNAME it synthesises (RFC 6672 §3.1), so DNAME steps count here too.
                chain.Add(alias);
                if (chain.Take(chain.Count - 1).Any(r => r.Owner == cname.Target))
                {
                    return new DnsAnswer(question, type, AnswerStatus.Failure, chain, cname.Target, $"CNAME loop at {cname.Target.Text}") { FailedBecause = FailureKind.BrokenData };
                }

                if (chain.Count(r => r.Type == RecordType.CNAME) > Options.MaxCnameChain)
                {
                    return new DnsAnswer(question, type, AnswerStatus.Failure, chain, cname.Target,
                        $"{question.Text} leads through more than " + limits.Note($"{Options.MaxCnameChain} CNAMEs, the longest chain this service follows (Dns:MaxCnameChain)"))
                    { LimitReached = true, FailedBecause = FailureKind.LimitReached };
                }

                name = cname.Target;
                zone = ClosestCut(name);
                continue;
            }

            var soa = DnsTransport.Convert(response.Authorities).FirstOrDefault(r => r.Type == RecordType.SOA);
            if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
            {
                return new DnsAnswer(question, type, AnswerStatus.NameError, chain, name, Soa: soa);
            }

            var referral = response.Authorities.NsRecords().ToList();
            if (response.Header.HasAuthorityAnswer || referral.Count == 0)
            {
                return new DnsAnswer(question, type, AnswerStatus.NoData, chain, name, Soa: soa);
            }

            if (++referrals > Options.MaxReferrals)
            {
                return new DnsAnswer(question, type, AnswerStatus.Failure, chain, name,
                    $"resolving {question.Text} took more than " + limits.Note($"{Options.MaxReferrals} referrals, the most this service follows for one name (Dns:MaxReferrals)"))
                { LimitReached = true, FailedBecause = FailureKind.LimitReached };
            }

            // AskAny accepted the referral: its cut lies between the zone asked and the name.
            var cut = DnsName.Parse(referral[0].DomainName.Value);
            var addressFailures = new List<FailureKind>();
            var (next, ttl) = await ServersFor(cut, referral, response.Additionals.ARecords().ToList(), resolving, addressFailures, cancellationToken).ConfigureAwait(false);
            if (next.Addresses.Count == 0)
            {
                // No address at all: the data's fault when the lookups of the servers' names were answered (no such
                // name, no address, a name only its own zone could give); else whatever failed those lookups.
                return new DnsAnswer(question, type, AnswerStatus.Failure, chain, name,
                    $"{asked.Server} referred {name.Text} to {string.Join(", ", next.Servers.Select(ns => ns.Name.Text).Distinct())}, whose addresses could not be found")
                {
                    LimitReached = limits.Exhausted,
                    FailedBecause = limits.Exhausted ? FailureKind.LimitReached
                        : addressFailures.Count > 0 ? FailureKinds.Combine(addressFailures) : FailureKind.BrokenData,
                };
            }

            _cuts[next.Cut.Text] = next;
            if (shared?.IsShared(next.Cut) == true)
            {
                shared.Keep(next, ttl);
            }
            else
            {
                delegated?.Invoke(zone.Cut, next);
            }

            zone = (next.Cut, next.Addresses);
        }
    }

    /// <summary>The deepest zone cut known above <paramref name="name"/> and its servers' addresses; the root when none is.</summary>
    private (DnsName Cut, IReadOnlyList<IPAddress> Addresses) ClosestCut(DnsName name)
    {
        for (var current = name; !current.IsRoot; current = current.Parent)
        {
            if (Known(current) is { } referral)
            {
                return (referral.Cut, referral.Addresses);
            }
        }

        return (DnsName.Root, roots);
    }

    /// <summary>
    /// The delegation of <paramref name="cut"/> when this diagnosis has seen it, or when it lies above the
    /// customer's zone and an earlier diagnosis saw it: then it is taken into this one (and its query log,
    /// marked as from the cache) the first time it is needed.
    /// </summary>
    private Delegation? Known(DnsName cut)
    {
        if (_cuts.TryGetValue(cut.Text, out var seen))
        {
            return seen;
        }

        if (shared is null || !shared.IsShared(cut) || shared.Referral(cut) is not { } kept)
        {
            return null;
        }

        if (_cuts.TryAdd(cut.Text, kept))
        {
            log.Record(new QueryLogEntry(SharedDnsCache.LogServer, cut.Text, "NS", "NOERROR", false, "", 0) { Cached = true });
        }

        return _cuts[cut.Text];
    }

    /// <summary>
    /// The servers of a delegation, capped: at most <see cref="LiveDnsOptions.MaxNameServerNames"/> names
    /// followed and <see cref="LiveDnsOptions.MaxNameServerAddresses"/> addresses kept. A name inside the
    /// delegated zone takes its glue; any other name is resolved afresh, never from glue. Also how long the
    /// delegation may be kept: the smallest TTL of its NS records and of the addresses used.
    /// </summary>
    /// <param name="failures">Told why each failed lookup of a server's address failed.</param>
    private async Task<(Delegation Delegation, uint Ttl)> ServersFor(DnsName cut, List<NsRecord> referral, List<ARecord> glue, ImmutableHashSet<DnsName> resolving,
        List<FailureKind> failures, CancellationToken cancellationToken)
    {
        var names = referral.Select(ns => DnsName.TryParse(ns.NSDName.Value, out var target, out _) ? target : null).OfType<DnsName>().Distinct().ToList();
        var ttl = referral.Select(ns => (uint)Math.Max(0, ns.InitialTimeToLive)).DefaultIfEmpty(0u).Min();
        var glueByName = glue
            .Select(a => (Name: DnsName.TryParse(a.DomainName.Value, out var owner, out _) ? owner : null, a.Address, Ttl: (uint)Math.Max(0, a.InitialTimeToLive)))
            .Where(a => a.Name is not null && a.Name.IsSubdomainOf(cut))
            .GroupBy(a => a.Name!)
            .ToDictionary(g => g.Key, g => (Addresses: g.Select(a => a.Address).Distinct().ToList(), Ttl: g.Min(a => a.Ttl)));
        var delegation = await Capped(cut, names, async target =>
        {
            var (addresses, addressTtl) = glueByName.TryGetValue(target, out var fromGlue)
                ? ((IReadOnlyList<IPAddress>)fromGlue.Addresses, fromGlue.Ttl)
                : await AddressesOf(target, cut, resolving, failures, cancellationToken).ConfigureAwait(false);
            if (addresses.Count > 0)
            {
                ttl = Math.Min(ttl, addressTtl);
            }

            return addresses;
        }).ConfigureAwait(false);
        return (delegation, ttl);
    }

    /// <summary>
    /// The addresses of a name server with no usable glue, and their TTL. A name inside the zone it serves
    /// cannot be looked up without that zone's servers (the delegation lacks glue), and a name already
    /// being looked up on this path would wait on itself: neither is asked.
    /// </summary>
    private async Task<(IReadOnlyList<IPAddress> Addresses, uint Ttl)> AddressesOf(DnsName server, DnsName zone, ImmutableHashSet<DnsName> resolving,
        List<FailureKind> failures, CancellationToken cancellationToken)
    {
        if (server.IsSubdomainOf(zone) || resolving.Contains(server))
        {
            return ([], 0);
        }

        var answer = await QueryAsync(server, RecordType.A, resolving.Add(server), cancellationToken).ConfigureAwait(false);
        if (answer.Status == AnswerStatus.Failure)
        {
            lock (failures)
            {
                failures.Add(answer.FailedBecause);
            }
        }

        var records = answer.Matching.ToList();
        return (records.Select(r => ((AddressData)r.Data).Address).Distinct().ToList(), records.Select(r => r.Ttl).DefaultIfEmpty(0u).Min());
    }

    /// <summary>Follows at most the configured number of NS names, in order, until the configured number of addresses is reached.</summary>
    private async Task<Delegation> Capped(DnsName zone, IReadOnlyList<DnsName> names, Func<DnsName, Task<IReadOnlyList<IPAddress>>> addressesOf)
    {
        var servers = new List<NameServerAddress>();
        var kept = 0;
        var seen = 0;
        foreach (var name in names.Take(Options.MaxNameServerNames))
        {
            if (kept >= Options.MaxNameServerAddresses)
            {
                break;
            }

            var addresses = await addressesOf(name).ConfigureAwait(false);
            seen += addresses.Count;
            var taken = addresses.Take(Options.MaxNameServerAddresses - kept).ToList();
            kept += taken.Count;
            servers.AddRange(taken.Count > 0 ? taken.Select(a => new NameServerAddress(name, a)) : [new NameServerAddress(name, null)]);
        }

        var followed = servers.Select(s => s.Name).Distinct().Count();
        string? omitted = null;
        if (followed < names.Count || seen > kept)
        {
            omitted = $"{zone.Text} is delegated to {names.Count} name servers; " + limits.Note(
                $"this service follows at most {Options.MaxNameServerNames} names and {Options.MaxNameServerAddresses} addresses of one NS set " +
                "(Dns:MaxNameServerNames, Dns:MaxNameServerAddresses)") + $", so only {kept} addresses of {followed} of them were asked";
        }

        return new Delegation(zone, names, servers, servers.Where(s => s.Address is not null).Select(s => s.Address!).Distinct().ToList(), omitted);
    }

    private sealed record Asked(IDnsQueryResponse? Response, string Server, string Failure, bool LimitReached, FailureKind Kind = FailureKind.Unclassified);

    /// <summary>
    /// Sends the question to the zone's servers in turn, at most <see cref="LiveDnsOptions.MaxServersPerQuestion"/>
    /// of them, until one gives a usable answer: an answer, a negative answer, or a referral that is in bailiwick.
    /// </summary>
    private async Task<Asked> AskAny((DnsName Cut, IReadOnlyList<IPAddress> Addresses) zone, DnsName name, RecordType type, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var kinds = new List<FailureKind>();
        foreach (var server in zone.Addresses.Take(Options.MaxServersPerQuestion))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var label = Endpoint(server);
            var (response, failure, limitReached, kind) = await transport.SendAsync(new IPEndPoint(server, port), label, name, type, recursion: false, dnssecOk: false, cancellationToken)
                .ConfigureAwait(false);
            if (limitReached)
            {
                // The budget is spent: no other server will be asked either.
                return new Asked(null, label, $"the {type} lookup of {name.Text} stopped: {string.Join("; ", failures.Append(failure))}", true,
                    FailureKinds.Combine(kinds.Append(FailureKind.LimitReached)));
            }

            if (response is null)
            {
                failures.Add(failure);
                kinds.Add(kind);
                continue;
            }

            var code = response.Header.ResponseCode;
            var referral = response.Authorities.NsRecords().ToList();
            var lame = code == DnsHeaderResponseCode.NoError && !response.Header.HasAuthorityAnswer && response.Answers.Count == 0 && referral.Count == 0;
            if (lame)
            {
                // Neither an answer nor a referral: the server does not serve the zone it was sent to.
                failures.Add(ResponseCodes.Lame(label));
                kinds.Add(FailureKind.ServerError);
                continue;
            }

            if (code == DnsHeaderResponseCode.NoError && !response.Header.HasAuthorityAnswer && response.Answers.Count == 0
                && OutOfBailiwick(referral, zone.Cut, name) is { } why)
            {
                failures.Add($"{label} {why}");
                kinds.Add(FailureKind.ServerError);
                continue;
            }

            if (code is DnsHeaderResponseCode.NoError or DnsHeaderResponseCode.NotExistentDomain)
            {
                return new Asked(response, label, "", false);
            }

            failures.Add(ResponseCodes.Answered(label, (int)code));
            kinds.Add(FailureKind.ServerError);
        }

        if (zone.Addresses.Count > Options.MaxServersPerQuestion)
        {
            failures.Add($"its other {zone.Addresses.Count - Options.MaxServersPerQuestion} servers were not asked: " +
                limits.Note($"this service asks at most {Options.MaxServersPerQuestion} servers one question (Dns:MaxServersPerQuestion)"));
            kinds.Add(FailureKind.LimitReached);
        }

        return new Asked(null, "", $"the {type} lookup of {name.Text} failed: {string.Join("; ", failures)}", false, FailureKinds.Combine(kinds));
    }

    /// <summary>
    /// Why a referral must be ignored (RFC 1034 §5.3.3; null when it may be followed): its NS records must
    /// all name one zone, which must contain the name asked and lie strictly below the zone the server was
    /// asked as. Anything else is a server speaking for zones it was not asked about.
    /// </summary>
    internal static string? OutOfBailiwick(IReadOnlyList<NsRecord> referral, DnsName zone, DnsName name)
    {
        var cuts = referral.Select(ns => DnsName.TryParse(ns.DomainName.Value, out var cut, out _) ? cut : null).Distinct().ToList();
        if (cuts is not [{ } only])
        {
            return $"sent a referral naming {cuts.Count} zones at once, which is ignored";
        }

        return name.IsSubdomainOf(only) && only.IsSubdomainOf(zone) && only != zone
            ? null
            : $"sent a referral to {only.Text}, which is not between {zone.Text} and {name.Text}: ignored, as RFC 1034 §5.3.3 requires";
    }

    private string Endpoint(IPAddress server) => $"{server}:{port}";

    private async Task<ZoneServers> FindZone(DnsName name, CancellationToken cancellationToken)
    {
        // The root, and a zone cut already seen in a referral, are apexes: no question needed.
        if (name.IsRoot)
        {
            return new ZoneServers(name, [], roots.Select(address => new NameServerAddress(DnsName.Root, address)).ToList());
        }

        if (Known(name) is { } known)
        {
            return FromReferral(known);
        }

        // The SOA question names the zone: the SOA itself at an apex, the zone's SOA beside a negative
        // answer. An alias is never an apex, so for a CNAME owner the question moves to its parent.
        var current = name;
        DnsName apex;
        while (true)
        {
            var answer = await QueryAsync(current, RecordType.SOA, cancellationToken).ConfigureAwait(false);
            if (answer.Records.Any(r => r.Type == RecordType.CNAME && r.Owner == current) && !current.IsRoot)
            {
                current = current.Parent;
                continue;
            }

            if (answer.Status == AnswerStatus.Answer && answer.Matching.FirstOrDefault() is { } soa)
            {
                apex = soa.Owner;
            }
            else if (answer.Soa is { } negative && name.IsSubdomainOf(negative.Owner))
            {
                apex = negative.Owner;
            }
            else
            {
                return new ZoneServers(name, [], [], answer.Detail ?? $"no SOA came back for {current.Text}, so its zone is unknown");
            }

            break;
        }

        if (apex.IsRoot)
        {
            return new ZoneServers(apex, [], roots.Select(address => new NameServerAddress(DnsName.Root, address)).ToList());
        }

        if (Known(apex) is { } referral)
        {
            return FromReferral(referral);
        }

        // No referral to this zone was seen (its parent's servers serve it too): its own NS set is the best there is.
        var own = await QueryAsync(apex, RecordType.NS, cancellationToken).ConfigureAwait(false);
        var names = own.Matching.Select(r => ((NameData)r.Data).Target).Distinct().ToList();
        var found = await Capped(apex, names, async target =>
        {
            var addresses = await QueryAsync(target, RecordType.A, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<IPAddress>)addresses.Matching.Select(r => ((AddressData)r.Data).Address).Distinct().ToList();
        }).ConfigureAwait(false);
        return new ZoneServers(apex, names, found.Servers, names.Count == 0 ? $"no delegation of {apex.Text} was seen and it publishes no NS records" : null)
        {
            Omitted = found.Omitted,
        };
    }

    private static ZoneServers FromReferral(Delegation referral) =>
        new(referral.Cut, referral.Names, referral.Servers) { Omitted = referral.Omitted };
}
