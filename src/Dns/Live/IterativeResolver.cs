using System.Collections.Concurrent;
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
internal sealed class IterativeResolver(IReadOnlyList<IPAddress> roots, int port, DnsTransport transport, DiagnosisMemo memo)
{
    private const int MaxSteps = 24;

    // The NS names of a cut are the parent's delegation, as the referral gave them.
    private readonly ConcurrentDictionary<string, Referral> _cuts = new(StringComparer.OrdinalIgnoreCase);

    private sealed record Referral(DnsName Cut, IReadOnlyList<NameServerAddress> Servers, IReadOnlyList<IPAddress> Addresses);

    /// <summary>The answer to a question, asked once per diagnosis.</summary>
    public Task<DnsAnswer> QueryAsync(DnsName name, RecordType type, CancellationToken cancellationToken) =>
        memo.Answer(name, type, () => ResolveAsync(name, type, cancellationToken));

    /// <summary>The zone a name is in and its servers, found once per diagnosis.</summary>
    public Task<ZoneServers> FindZoneServersAsync(DnsName name, CancellationToken cancellationToken) =>
        memo.Zone(name, () => FindZone(name, cancellationToken));

    private async Task<DnsAnswer> ResolveAsync(DnsName question, RecordType type, CancellationToken cancellationToken)
    {
        var chain = new List<ResourceRecord>();
        var name = question;
        // The DS set of a zone is served by its parent (RFC 4035 §2.4): start above the name's own cut.
        var servers = type == RecordType.DS && !name.IsRoot ? ClosestServers(name.Parent) : ClosestServers(name);
        for (var step = 0; step < MaxSteps; step++)
        {
            var (response, server, failure) = await AskAny(servers, name, type, cancellationToken).ConfigureAwait(false);
            if (response is null)
            {
                return new DnsAnswer(question, type, AnswerStatus.Failure, chain, name, failure);
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
                // Follow the alias from the top: its target may live in any zone.
                chain.Add(alias);
                if (chain.Count(r => r.Type == RecordType.CNAME) > 16 || chain.Take(chain.Count - 1).Any(r => r.Owner == cname.Target))
                {
                    return new DnsAnswer(question, type, AnswerStatus.Failure, chain, cname.Target, $"CNAME loop or chain longer than 16 at {cname.Target.Text}");
                }

                name = cname.Target;
                servers = ClosestServers(name);
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

            var next = await ServersFor(referral, response.Additionals.ARecords().ToList(), cancellationToken).ConfigureAwait(false);
            if (next.Addresses.Count == 0)
            {
                return new DnsAnswer(question, type, AnswerStatus.Failure, chain, name,
                    $"{server} referred {name.Text} to {string.Join(", ", referral.Select(ns => ns.NSDName.Value))}, whose addresses could not be found");
            }

            _cuts[next.Cut.Text] = next;
            servers = next.Addresses;
        }

        return new DnsAnswer(question, type, AnswerStatus.Failure, chain, name, $"more than {MaxSteps} referrals resolving {question.Text}");
    }

    private IReadOnlyList<IPAddress> ClosestServers(DnsName name)
    {
        for (var current = name; !current.IsRoot; current = current.Parent)
        {
            if (_cuts.TryGetValue(current.Text, out var referral))
            {
                return referral.Addresses;
            }
        }

        return roots;
    }

    private async Task<Referral> ServersFor(List<NsRecord> referral, List<ARecord> glue, CancellationToken cancellationToken)
    {
        var cut = DnsName.TryParse(referral[0].DomainName.Value, out var parsed, out _) ? parsed : DnsName.Root;
        var servers = new List<NameServerAddress>();
        foreach (var ns in referral)
        {
            if (!DnsName.TryParse(ns.NSDName.Value, out var target, out _))
            {
                continue;
            }

            var addresses = glue.Where(a => ns.NSDName.Value.Equals(a.DomainName.Value, StringComparison.OrdinalIgnoreCase)).Select(a => a.Address).ToList();
            servers.AddRange(addresses.Count > 0 ? addresses.Select(a => new NameServerAddress(target, a)) : [new NameServerAddress(target, null)]);
        }

        if (servers.Any(s => s.Address is not null))
        {
            return new Referral(cut, servers, servers.Where(s => s.Address is not null).Select(s => s.Address!).Distinct().ToList());
        }

        // No glue: look the name servers' addresses up, as a resolver does (the first that has one is enough to go on).
        var found = new List<NameServerAddress>();
        foreach (var server in servers)
        {
            var answer = await QueryAsync(server.Name, RecordType.A, cancellationToken).ConfigureAwait(false);
            var addresses = answer.Matching.Select(r => ((AddressData)r.Data).Address).ToList();
            found.AddRange(addresses.Count > 0 ? addresses.Select(a => server with { Address = a }) : [server]);
        }

        return new Referral(cut, found, found.Where(s => s.Address is not null).Select(s => s.Address!).Distinct().ToList());
    }

    private async Task<(IDnsQueryResponse? Response, IPAddress? Server, string Failure)> AskAny(IReadOnlyList<IPAddress> servers, DnsName name, RecordType type,
        CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (var server in servers)
        {
            var label = Endpoint(server);
            var (response, failure, _) = await transport.SendAsync(new IPEndPoint(server, port), label, name, type, recursion: false, dnssecOk: false, cancellationToken)
                .ConfigureAwait(false);
            if (response is null)
            {
                failures.Add(failure);
                continue;
            }

            var code = response.Header.ResponseCode;
            var lame = code == DnsHeaderResponseCode.NoError && !response.Header.HasAuthorityAnswer
                && response.Answers.Count == 0 && !response.Authorities.NsRecords().Any();
            if (lame)
            {
                // Neither an answer nor a referral: the server does not serve the zone it was sent to.
                failures.Add(ResponseCodes.Lame(label));
                continue;
            }

            if (code is DnsHeaderResponseCode.NoError or DnsHeaderResponseCode.NotExistentDomain)
            {
                return (response, server, "");
            }

            failures.Add(ResponseCodes.Answered(label, (int)code));
        }

        return (null, null, $"the {type} lookup of {name.Text} failed: {string.Join("; ", failures)}");
    }

    private string Endpoint(IPAddress server) => $"{server}:{port}";

    private async Task<ZoneServers> FindZone(DnsName name, CancellationToken cancellationToken)
    {
        // The root, and a zone cut already seen in a referral, are apexes: no question needed.
        if (name.IsRoot)
        {
            return new ZoneServers(name, [], roots.Select(address => new NameServerAddress(DnsName.Root, address)).ToList());
        }

        if (_cuts.TryGetValue(name.Text, out var known))
        {
            return new ZoneServers(name, known.Servers.Select(s => s.Name).Distinct().ToList(), known.Servers);
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
            else if (answer.Soa is { } negative)
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

        if (_cuts.TryGetValue(apex.Text, out var referral))
        {
            return new ZoneServers(apex, referral.Servers.Select(s => s.Name).Distinct().ToList(), referral.Servers);
        }

        // No referral to this zone was seen (its parent's servers serve it too): its own NS set is the best there is.
        var own = await QueryAsync(apex, RecordType.NS, cancellationToken).ConfigureAwait(false);
        var names = own.Matching.Select(r => ((NameData)r.Data).Target).Distinct().ToList();
        var servers = new List<NameServerAddress>();
        foreach (var (target, addresses) in names.Zip(await Task.WhenAll(names.Select(n => QueryAsync(n, RecordType.A, cancellationToken))).ConfigureAwait(false)))
        {
            var found = addresses.Matching.Select(r => new NameServerAddress(target, ((AddressData)r.Data).Address)).ToList();
            servers.AddRange(found.Count > 0 ? found : [new NameServerAddress(target, null)]);
        }

        return new ZoneServers(apex, names, servers, names.Count == 0 ? $"no delegation of {apex.Text} was seen and it publishes no NS records" : null);
    }
}
