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
public sealed class LiveDnsView : IDnsView
{
    private const int MaxSteps = 24;

    private readonly LiveDnsOptions _options;
    private readonly IReadOnlyList<IPAddress> _roots;
    private readonly ConcurrentDictionary<(string, ushort), Lazy<Task<DnsAnswer>>> _memo = new();
    private readonly ConcurrentDictionary<IPAddress, LookupClient> _clients = new();
    private readonly ConcurrentQueue<QueryLogEntry> _log = new();

    // Zone cuts learned from referrals during this diagnosis: later lookups start at the deepest known cut
    // instead of the root, as a resolver's cache lets it.
    private readonly ConcurrentDictionary<string, IReadOnlyList<IPAddress>> _cuts = new(StringComparer.OrdinalIgnoreCase);

    public LiveDnsView(LiveDnsOptions options)
    {
        _options = options;
        _roots = options.RootAddresses();
    }

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
        var servers = ClosestServers(name);
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
            if (next.Count == 0)
            {
                return new DnsAnswer(question, type, AnswerStatus.Failure, chain, name,
                    $"{server} referred {name.Text} to {string.Join(", ", referral.Select(ns => ns.NSDName.Value))}, whose addresses could not be found");
            }

            if (DnsName.TryParse(referral[0].DomainName.Value, out var cut, out _))
            {
                _cuts[cut.Text] = next;
            }

            servers = next;
        }

        return new DnsAnswer(question, type, AnswerStatus.Failure, chain, name, $"more than {MaxSteps} referrals resolving {question.Text}");
    }

    private IReadOnlyList<IPAddress> ClosestServers(DnsName name)
    {
        for (var current = name; !current.IsRoot; current = current.Parent)
        {
            if (_cuts.TryGetValue(current.Text, out var servers))
            {
                return servers;
            }
        }

        return _roots;
    }

    private async Task<IReadOnlyList<IPAddress>> ServersFor(List<NsRecord> referral, List<ARecord> glue, CancellationToken cancellationToken)
    {
        var addresses = glue.Where(a => referral.Any(ns => ns.NSDName.Value.Equals(a.DomainName.Value, StringComparison.OrdinalIgnoreCase)))
            .Select(a => a.Address).Distinct().ToList();
        if (addresses.Count > 0)
        {
            return addresses;
        }

        // No glue: look the name servers' addresses up, as a resolver does.
        foreach (var ns in referral)
        {
            if (!DnsName.TryParse(ns.NSDName.Value, out var target, out _))
            {
                continue;
            }

            var answer = await QueryAsync(target, RecordType.A, cancellationToken).ConfigureAwait(false);
            addresses.AddRange(answer.Matching.Select(r => ((AddressData)r.Data).Address));
            if (addresses.Count > 0)
            {
                break;
            }
        }

        return addresses;
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
                var client = _clients.GetOrAdd(server, NewClient);
                var response = await client.QueryAsync(name.Text, (QueryType)type.Value, QueryClass.IN, cancellationToken).ConfigureAwait(false);
                var code = response.Header.ResponseCode;
                _log.Enqueue(new QueryLogEntry(Endpoint(server), name.Text, type.ToString(), code.ToString(), response.Header.HasAuthorityAnswer, clock.ElapsedMilliseconds));
                var lame = code == DnsHeaderResponseCode.NoError && !response.Header.HasAuthorityAnswer
                    && response.Answers.Count == 0 && !response.Authorities.NsRecords().Any();
                if (lame)
                {
                    // Neither an answer nor a referral: the server does not serve the zone it was sent to.
                    failures.Add($"{Endpoint(server)} is lame (answered without authority and without a referral)");
                    continue;
                }

                if (code is DnsHeaderResponseCode.NoError or DnsHeaderResponseCode.NotExistentDomain)
                {
                    return (response, server, "");
                }

                failures.Add($"{Endpoint(server)} answered {code}");
            }
            catch (DnsResponseException error)
            {
                _log.Enqueue(new QueryLogEntry(Endpoint(server), name.Text, type.ToString(), "timeout", false, clock.ElapsedMilliseconds));
                failures.Add($"{Endpoint(server)} did not answer ({error.Code})");
            }
        }

        return (null, null, $"the {type} lookup of {name.Text} failed: {string.Join("; ", failures)}");
    }

    private string Endpoint(IPAddress server) => $"{server}:{_options.QueryPort}";

    private LookupClient NewClient(IPAddress server) => new(new LookupClientOptions(new NameServer(server, _options.QueryPort))
    {
        // Never the machine's resolvers, never a cache beyond this diagnosis, one attempt per server.
        UseCache = false,
        Recursion = false,
        Retries = 0,
        Timeout = TimeSpan.FromMilliseconds(_options.QueryTimeoutMs),
        ThrowDnsErrors = false,
        UseTcpFallback = true,
        ContinueOnDnsError = false,
        ContinueOnEmptyResponse = false,
    });

    /// <summary>DnsClient's records in our types, through their presentation form and our own parser.</summary>
    private static List<ResourceRecord> Convert(IEnumerable<DnsResourceRecord> records)
    {
        var text = string.Join('\n', records.Select(r => r.ToString()));
        return text.Length == 0 ? [] : MasterFileParser.Parse(text + "\n", new ZoneParserOptions { Origin = DnsName.Root }).Records.ToList();
    }
}
