using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using DnsClient;
using DnsClient.Protocol;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Dns.Live;

/// <summary>
/// Answers from the real DNS by iterating from the root servers, as a CA's resolver does: referral
/// by referral down to the authoritative servers, following CNAMEs. One instance serves one
/// diagnosis: answers are memoised for it alone, every query has a timeout, and every query is logged
/// for the report. DNS failures (timeouts, SERVFAIL, REFUSED) are answers of status Failure, not exceptions.
/// </summary>
public sealed class LiveDnsView : IDnsView, IServerView
{
    private const int MaxSteps = 24;

    private readonly LiveDnsOptions _options;
    private readonly IReadOnlyList<IPAddress> _roots;
    private readonly ConcurrentDictionary<(string, ushort), Lazy<Task<DnsAnswer>>> _memo = new();
    private readonly ConcurrentDictionary<(IPEndPoint, bool), LookupClient> _clients = new();
    private readonly ConcurrentDictionary<(string, string, ushort), Lazy<Task<ServerAnswer>>> _serverMemo = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<ZoneServers>>> _zoneMemo = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lazy<IReadOnlyList<IPEndPoint>> _resolvers;
    private readonly Lazy<IReadOnlyList<DsData>> _trustAnchors;
    private readonly ConcurrentQueue<QueryLogEntry> _log = new();

    // Zone cuts learned from referrals during this diagnosis: later lookups start at the deepest known cut
    // instead of the root, as a resolver's cache lets it; the NS names are the parent's delegation.
    private readonly ConcurrentDictionary<string, Referral> _cuts = new(StringComparer.OrdinalIgnoreCase);

    public LiveDnsView(LiveDnsOptions options)
    {
        _options = options;
        _roots = options.RootAddresses();
        _resolvers = new Lazy<IReadOnlyList<IPEndPoint>>(options.ResolverEndpoints);
        _trustAnchors = new Lazy<IReadOnlyList<DsData>>(options.TrustAnchorRecords);
    }

    private sealed record Referral(DnsName Cut, IReadOnlyList<NameServerAddress> Servers, IReadOnlyList<IPAddress> Addresses);

    public string Description => $"live DNS from {string.Join(", ", _roots.Take(3))}{(_roots.Count > 3 ? ", …" : "")} port {_options.QueryPort}";

    /// <summary>Every query sent so far, in the order they completed.</summary>
    public IReadOnlyList<QueryLogEntry> QueryLog => _log.ToList();

    public ValueTask<DnsAnswer> QueryAsync(DnsName name, RecordType type, CancellationToken cancellationToken) =>
        new(_memo.GetOrAdd((name.Text.ToLowerInvariant(), type.Value),
            _ => new Lazy<Task<DnsAnswer>>(() => ResolveAsync(name, type, cancellationToken))).Value);

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

            var answers = Convert(response.Answers);
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

            var soa = Convert(response.Authorities).FirstOrDefault(r => r.Type == RecordType.SOA);
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

        return _roots;
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
            var clock = Stopwatch.StartNew();
            try
            {
                var client = Client(new IPEndPoint(server, _options.QueryPort), recursion: false);
                var response = await client.QueryAsync(name.Text, (QueryType)type.Value, QueryClass.IN, cancellationToken).ConfigureAwait(false);
                var code = response.Header.ResponseCode;
                Log(Endpoint(server), name, type, response, clock);
                var lame = code == DnsHeaderResponseCode.NoError && !response.Header.HasAuthorityAnswer
                    && response.Answers.Count == 0 && !response.Authorities.NsRecords().Any();
                if (lame)
                {
                    // Neither an answer nor a referral: the server does not serve the zone it was sent to.
                    failures.Add(ResponseCodes.Lame(Endpoint(server)));
                    continue;
                }

                if (code is DnsHeaderResponseCode.NoError or DnsHeaderResponseCode.NotExistentDomain)
                {
                    return (response, server, "");
                }

                failures.Add(ResponseCodes.Answered(Endpoint(server), (int)code));
            }
            catch (DnsResponseException error)
            {
                Record(new QueryLogEntry(Endpoint(server), name.Text, type.ToString(), $"timeout ({error.Code})", false, "", clock.ElapsedMilliseconds));
                failures.Add(ResponseCodes.NoAnswer(Endpoint(server)));
            }
        }

        return (null, null, $"the {type} lookup of {name.Text} failed: {string.Join("; ", failures)}");
    }

    private string Endpoint(IPAddress server) => $"{server}:{_options.QueryPort}";

    private readonly Stopwatch _since = Stopwatch.StartNew();

    private void Record(QueryLogEntry entry) => _log.Enqueue(entry with { StartedAtMs = _since.ElapsedMilliseconds - entry.Milliseconds });

    private void Log(string server, DnsName name, RecordType type, IDnsQueryResponse response, Stopwatch clock)
    {
        var header = response.Header;
        var flags = string.Join(' ', new[] { (header.HasAuthorityAnswer, "aa"), (header.ResultTruncated, "tc"), (header.RecursionDesired, "rd"),
            (header.RecursionAvailable, "ra"), (header.IsAuthenticData, "ad"), (header.IsCheckingDisabled, "cd") }.Where(f => f.Item1).Select(f => f.Item2));
        Record(new QueryLogEntry(server, name.Text, type.ToString(), ResponseCodes.Name((int)header.ResponseCode), header.HasAuthorityAnswer, flags, clock.ElapsedMilliseconds));
    }

    public IReadOnlyList<IPEndPoint> Resolvers => _resolvers.Value;

    public IReadOnlyList<DsData> TrustAnchors => _trustAnchors.Value;

    public ValueTask<ZoneServers> FindZoneServersAsync(DnsName name, CancellationToken cancellationToken) =>
        new(_zoneMemo.GetOrAdd(name.Text, _ => new Lazy<Task<ZoneServers>>(() => FindZone(name, cancellationToken))).Value);

    public ValueTask<ServerAnswer> AskServerAsync(NameServerAddress server, DnsName name, RecordType type, CancellationToken cancellationToken, bool dnssecOk = false) =>
        server.Address is null
            ? new(new ServerAnswer(server.ToString(), new DnsAnswer(name, type, AnswerStatus.Failure, [], name, $"the address of {server.Name.Text} could not be found"), false))
            : Ask(new IPEndPoint(server.Address, _options.QueryPort), server.ToString(), name, type, recursion: false, cancellationToken, dnssecOk);

    public ValueTask<ServerAnswer> AskResolverAsync(IPEndPoint resolver, DnsName name, RecordType type, CancellationToken cancellationToken, bool checkingDisabled = false) =>
        checkingDisabled
            ? new(_serverMemo.GetOrAdd((resolver + "+rd+cd", name.Text.ToLowerInvariant(), type.Value),
                _ => new Lazy<Task<ServerAnswer>>(() => AskCheckingDisabled(resolver, name, type, cancellationToken))).Value)
            : Ask(resolver, resolver.Address.ToString(), name, type, recursion: true, cancellationToken);

    // DnsClient cannot set the CD bit; ARSoft's client can. Only this question needs it.
    private async Task<ServerAnswer> AskCheckingDisabled(IPEndPoint resolver, DnsName name, RecordType type, CancellationToken cancellationToken)
    {
        var label = resolver.Address.ToString();
        var clock = Stopwatch.StartNew();
        var client = new ARSoft.Tools.Net.Dns.DnsClient([resolver.Address],
            [new ARSoft.Tools.Net.Dns.UdpClientTransport(resolver.Port), new ARSoft.Tools.Net.Dns.TcpClientTransport(resolver.Port)], false, _options.QueryTimeoutMs);
        var options = new ARSoft.Tools.Net.Dns.DnsQueryOptions { IsRecursionDesired = true, IsCheckingDisabled = true, IsEDnsEnabled = true };
        ARSoft.Tools.Net.Dns.DnsMessage? response;
        try
        {
            response = await client.ResolveAsync(ARSoft.Tools.Net.DomainName.Parse(name.Text), (ARSoft.Tools.Net.Dns.RecordType)type.Value,
                ARSoft.Tools.Net.Dns.RecordClass.INet, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is System.Net.Sockets.SocketException or TimeoutException or IOException)
        {
            response = null;
        }

        if (response is null)
        {
            Record(new QueryLogEntry(resolver.ToString(), name.Text, type.ToString(), "timeout", false, "rd cd", clock.ElapsedMilliseconds));
            return new ServerAnswer(label, new DnsAnswer(name, type, AnswerStatus.Failure, [], name, ResponseCodes.NoAnswer(label)), false);
        }

        var code = (int)response.ReturnCode;
        Record(new QueryLogEntry(resolver.ToString(), name.Text, type.ToString(), ResponseCodes.Name(code), response.IsAuthoritiveAnswer,
            string.Join(' ', new[] { (response.IsAuthoritiveAnswer, "aa"), (response.IsTruncated, "tc"), (true, "rd"), (response.IsRecursionAllowed, "ra"), (response.IsAuthenticData, "ad"), (response.IsCheckingDisabled, "cd") }
                .Where(f => f.Item1).Select(f => f.Item2)),
            clock.ElapsedMilliseconds));
        var records = ConvertPresentation(response.AnswerRecords.Select(r => r.ToString()));
        var soa = ConvertPresentation(response.AuthorityRecords.Select(r => r.ToString())).FirstOrDefault(r => r.Type == RecordType.SOA);
        var answer = code switch
        {
            3 => new DnsAnswer(name, type, AnswerStatus.NameError, records, name, Soa: soa),
            not 0 => new DnsAnswer(name, type, AnswerStatus.Failure, records, name, ResponseCodes.Answered(label, code)),
            _ when records.Any(r => r.Type == type) => new DnsAnswer(name, type, AnswerStatus.Answer, records, records.Last().Owner),
            _ => new DnsAnswer(name, type, AnswerStatus.NoData, records, name, Soa: soa),
        };
        return new ServerAnswer(label, answer, response.IsAuthoritiveAnswer);
    }

    private ValueTask<ServerAnswer> Ask(IPEndPoint endpoint, string label, DnsName name, RecordType type, bool recursion, CancellationToken cancellationToken, bool dnssecOk = false) =>
        new(_serverMemo.GetOrAdd((endpoint.ToString() + (recursion ? "+rd" : "") + (dnssecOk ? "+do" : ""), name.Text.ToLowerInvariant(), type.Value),
            _ => new Lazy<Task<ServerAnswer>>(() => AskOnce(endpoint, label, name, type, recursion, cancellationToken, dnssecOk))).Value);

    private async Task<ServerAnswer> AskOnce(IPEndPoint endpoint, string label, DnsName name, RecordType type, bool recursion, CancellationToken cancellationToken, bool dnssecOk)
    {
        var clock = Stopwatch.StartNew();
        IDnsQueryResponse response;
        try
        {
            response = dnssecOk
                ? await Client(endpoint, recursion).QueryAsync(new DnsQuestion(name.Text, (QueryType)type.Value, QueryClass.IN),
                    new DnsQueryAndServerOptions(new NameServer(endpoint))
                    {
                        RequestDnsSecRecords = true,
                        Recursion = recursion,
                        UseCache = false,
                        Retries = 0,
                        Timeout = TimeSpan.FromMilliseconds(_options.QueryTimeoutMs),
                        ThrowDnsErrors = false,
                        UseTcpFallback = true,
                        ContinueOnDnsError = false,
                        ContinueOnEmptyResponse = false
                    }, cancellationToken).ConfigureAwait(false)
                : await Client(endpoint, recursion).QueryAsync(name.Text, (QueryType)type.Value, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException error)
        {
            Record(new QueryLogEntry(endpoint.ToString(), name.Text, type.ToString(), $"timeout ({error.Code})", false, "", clock.ElapsedMilliseconds));
            return new ServerAnswer(label, new DnsAnswer(name, type, AnswerStatus.Failure, [], name, ResponseCodes.NoAnswer(label)), false);
        }

        Log(endpoint.ToString(), name, type, response, clock);
        var code = response.Header.ResponseCode;
        var authoritative = response.Header.HasAuthorityAnswer;
        var records = Convert(response.Answers);
        var soa = Convert(response.Authorities).FirstOrDefault(r => r.Type == RecordType.SOA);
        var referral = response.Authorities.NsRecords().Select(ns => ns.NSDName.Value).ToList();
        var answer = code switch
        {
            DnsHeaderResponseCode.NotExistentDomain => new DnsAnswer(name, type, AnswerStatus.NameError, records, name, Soa: soa),
            not DnsHeaderResponseCode.NoError => new DnsAnswer(name, type, AnswerStatus.Failure, records, name, ResponseCodes.Answered(label, (int)code)),
            _ when records.Any(r => r.Type == type) => new DnsAnswer(name, type, AnswerStatus.Answer, records, records.Last().Owner),
            _ when !recursion && !authoritative && referral.Count > 0 =>
                new DnsAnswer(name, type, AnswerStatus.NotCheckable, records, name, $"{label} referred the question to {string.Join(", ", referral)}"),
            _ when !recursion && !authoritative =>
                new DnsAnswer(name, type, AnswerStatus.Failure, records, name, ResponseCodes.Lame(label)),
            _ => new DnsAnswer(name, type, AnswerStatus.NoData, records, name, Soa: soa),
        };
        var proof = dnssecOk ? Convert(response.Authorities).Where(r => r.Type.Value is RecordType.Codes.RRSIG or RecordType.Codes.NSEC or RecordType.Codes.NSEC3).ToList() : [];
        return new ServerAnswer(label, answer with { Proof = proof }, authoritative);
    }

    private async Task<ZoneServers> FindZone(DnsName name, CancellationToken cancellationToken)
    {
        // The root, and a zone cut already seen in a referral, are apexes: no question needed.
        if (name.IsRoot)
        {
            return new ZoneServers(name, [], _roots.Select(address => new NameServerAddress(DnsName.Root, address)).ToList());
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
            return new ZoneServers(apex, [], _roots.Select(address => new NameServerAddress(DnsName.Root, address)).ToList());
        }

        if (_cuts.TryGetValue(apex.Text, out var referral))
        {
            return new ZoneServers(apex, referral.Servers.Select(s => s.Name).Distinct().ToList(), referral.Servers);
        }

        // No referral to this zone was seen (its parent's servers serve it too): its own NS set is the best there is.
        var own = await QueryAsync(apex, RecordType.NS, cancellationToken).ConfigureAwait(false);
        var names = own.Matching.Select(r => ((NameData)r.Data).Target).Distinct().ToList();
        var servers = new List<NameServerAddress>();
        foreach (var (target, addresses) in names.Zip(await Task.WhenAll(names.Select(n => QueryAsync(n, RecordType.A, cancellationToken).AsTask())).ConfigureAwait(false)))
        {
            var found = addresses.Matching.Select(r => new NameServerAddress(target, ((AddressData)r.Data).Address)).ToList();
            servers.AddRange(found.Count > 0 ? found : [new NameServerAddress(target, null)]);
        }

        return new ZoneServers(apex, names, servers, names.Count == 0 ? $"no delegation of {apex.Text} was seen and it publishes no NS records" : null);
    }

    private LookupClient Client(IPEndPoint server, bool recursion) => _clients.GetOrAdd((server, recursion), key => new(new LookupClientOptions(new NameServer(key.Item1))
    {
        // Only the server named, never a cache beyond this diagnosis, one attempt per server.
        UseCache = false,
        Recursion = recursion,
        Retries = 0,
        Timeout = TimeSpan.FromMilliseconds(_options.QueryTimeoutMs),
        ThrowDnsErrors = false,
        UseTcpFallback = true,
        ContinueOnDnsError = false,
        ContinueOnEmptyResponse = false,
    }));

    /// <summary>DnsClient's records in our types, through their presentation form and our own parser.</summary>
    private static List<ResourceRecord> Convert(IEnumerable<DnsResourceRecord> records) => ConvertPresentation(records.Select(r => r.ToString()));

    private static List<ResourceRecord> ConvertPresentation(IEnumerable<string> lines)
    {
        var text = string.Join('\n', lines);
        return text.Length == 0 ? [] : MasterFileParser.Parse(text + "\n", new ZoneParserOptions { Origin = DnsName.Root }).Records.ToList();
    }
}
