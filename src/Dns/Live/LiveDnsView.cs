using System.Collections.Concurrent;
using System.Net;
using DnsClient;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;

namespace RulesApi.Dns.Live;

/// <summary>
/// Answers from the real DNS by iterating from the root servers, as a CA's resolver does: referral
/// by referral down to the authoritative servers, following CNAMEs. One instance serves one
/// diagnosis: answers are memoised for it alone, every query has a timeout, and every query is logged
/// for the report. DNS failures (timeouts, SERVFAIL, REFUSED) are answers of status Failure, not exceptions.
/// </summary>
/// <remarks>
/// The work is split: <see cref="IterativeResolver"/> walks the hierarchy, <see cref="DnsTransport"/>
/// sends one question to one server, <see cref="LiveQueryLog"/> keeps the audit trail and
/// <see cref="DiagnosisMemo"/> asks each question once. This class reads one server's answer.
/// </remarks>
public sealed class LiveDnsView : IDnsView, IServerView
{
    private readonly LiveDnsOptions _options;
    private readonly IReadOnlyList<IPAddress> _roots;
    private readonly LiveQueryLog _log = new();
    private readonly DiagnosisMemo _memo = new();
    private readonly DiagnosisLimits _limits;
    private readonly DnsTransport _transport;
    private readonly IterativeResolver _resolver;
    private readonly Lazy<IReadOnlyList<IPEndPoint>> _resolvers;
    private readonly Lazy<IReadOnlyList<DsData>> _trustAnchors;

    private readonly SharedDnsCache? _shared;

    /// <param name="shared">What earlier diagnoses learned of the zones above the customer's; none when null (every question asked afresh).</param>
    public LiveDnsView(LiveDnsOptions options, SharedDnsCache? shared = null)
    {
        _shared = shared;
        _options = options;
        _roots = options.RootAddresses();
        _limits = new DiagnosisLimits(options);
        _resolvers = new Lazy<IReadOnlyList<IPEndPoint>>(options.ResolverEndpoints);
        // The configured root servers and resolvers are trusted as given: only what DNS data names is checked.
        _transport = new DnsTransport(options, _log, _limits,
            endpoint => (endpoint.Port == options.QueryPort && _roots.Contains(endpoint.Address)) || _resolvers.Value.Contains(endpoint));
        _resolver = new IterativeResolver(_roots, options.QueryPort, _transport, _memo, _limits, shared, _log, Prefetch);
        _trustAnchors = new Lazy<IReadOnlyList<DsData>>(options.TrustAnchorRecords);
    }

    private readonly ConcurrentDictionary<DnsName, bool> _prefetched = new();
    private IReadOnlyList<(DnsName Name, RecordType Type)> _expected = [];
    private CancellationToken _diagnosis;

    /// <summary>
    /// Tells the view, before a diagnosis starts, which questions it will put to every authoritative
    /// server of their zone and to every resolver, so that they are asked as early as they can be: the
    /// resolvers at once, the servers as soon as a referral names them, together with the apex questions
    /// every zone of the subject is asked (each server's SOA and NS, the zone's SOA, DS, DNSKEY and
    /// signatures). Without it, each is asked when a rule first needs it, a round trip later. Only the
    /// zones that hold an expected name are asked ahead; what is asked ahead is what the rules would ask.
    /// </summary>
    /// <param name="cancellationToken">The diagnosis's own: what is asked ahead is shared by all its rules.</param>
    public void Expect(IReadOnlyList<(DnsName Name, RecordType Type)> questions, CancellationToken cancellationToken)
    {
        _expected = questions;
        _diagnosis = cancellationToken;
        if (_options.Resolvers.Count == 0)
        {
            // The machine's resolvers are read only when a rule needs one.
            return;
        }

        DnsTelemetry.AskAhead("resolvers", () =>
        {
            var asked = new List<Task>();
            foreach (var resolver in Resolvers)
            {
                foreach (var (name, type) in questions)
                {
                    asked.Add(Observe(AskResolverAsync(resolver, name, type, cancellationToken).AsTask()));
                }
            }

            return asked;
        });
    }

    /// <summary>A referral named the servers of <paramref name="delegation"/>: ask them now what the rules will ask of every zone of the subject.</summary>
    private void Prefetch(DnsName parent, Delegation delegation)
    {
        var zone = delegation.Cut;
        var questions = _expected.Where(q => q.Name.IsSubdomainOf(zone)).ToList();
        if (questions.Count == 0 || !_prefetched.TryAdd(zone, true))
        {
            return;
        }

        var cancellationToken = _diagnosis;
        DnsTelemetry.AskAhead("zone " + zone.Text, () =>
        {
            var asked = new List<Task>();
            foreach (var server in delegation.Servers.Where(s => s.Address is not null))
            {
                asked.Add(Observe(AskServerAsync(server, zone, RecordType.SOA, cancellationToken).AsTask()));
                asked.Add(Observe(AskServerAsync(server, zone, RecordType.NS, cancellationToken).AsTask()));
                foreach (var (name, type) in questions)
                {
                    asked.Add(Observe(AskServerAsync(server, name, type, cancellationToken).AsTask()));
                }
            }

            foreach (var type in new[] { RecordType.SOA, RecordType.DS, RecordType.DNSKEY, RecordType.RRSIG })
            {
                asked.Add(Observe(QueryAsync(zone, type, cancellationToken).AsTask()));
            }

            // The DS set's signatures are asked of the parent's first server, as the chain of trust asks them.
            asked.Add(Observe(PrefetchParentSignatures(parent, zone, cancellationToken)));
            return asked;
        });
    }

    private async Task PrefetchParentSignatures(DnsName parent, DnsName zone, CancellationToken cancellationToken)
    {
        var parentZone = await FindZoneServersAsync(parent, cancellationToken).ConfigureAwait(false);
        if (parentZone.Servers.FirstOrDefault(s => s.Address is not null) is { } server)
        {
            await AskServerAsync(server, zone, RecordType.RRSIG, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A question asked ahead: its answer waits in the memo; a failure or cancellation is the rule's to see when it asks.
    /// The task returned completes when the question is done, whichever way, and never faults.
    /// </summary>
    private static Task Observe(Task task) => task.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
        TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    public string Description => $"live DNS from {string.Join(", ", _roots.Take(3))}{(_roots.Count > 3 ? ", …" : "")} port {_options.QueryPort}";

    /// <summary>Every query sent so far, in the order they completed.</summary>
    public IReadOnlyList<QueryLogEntry> QueryLog => _log.Entries;

    /// <summary>How many queries were sent (the query budget spent).</summary>
    public int QueriesSent => _limits.QueriesSent;

    /// <summary>The caps of <see cref="LiveDnsOptions"/> this diagnosis reached, each in words that name its setting.</summary>
    public IReadOnlyList<string> LimitsReached => _limits.Reached;

    public async ValueTask<DnsAnswer> QueryAsync(DnsName name, RecordType type, CancellationToken cancellationToken)
    {
        using var wave = DnsTelemetry.Wave("resolve", name, type);
        var answer = await _resolver.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
        wave?.SetTag("dns.answer.status", answer.Status.ToString());
        return answer;
    }

    public IReadOnlyList<IPEndPoint> Resolvers => _resolvers.Value;

    public IReadOnlyList<DsData> TrustAnchors => _trustAnchors.Value;

    public async ValueTask<ZoneServers> FindZoneServersAsync(DnsName name, CancellationToken cancellationToken)
    {
        using var wave = DnsTelemetry.Wave("zone-servers", name);
        return await _resolver.FindZoneServersAsync(name, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<ServerAnswer> AskServerAsync(NameServerAddress server, DnsName name, RecordType type, CancellationToken cancellationToken, bool dnssecOk = false) =>
        server.Address is null
            ? new(new ServerAnswer(server.ToString(), new DnsAnswer(name, type, AnswerStatus.Failure, [], name, $"the address of {server.Name.Text} could not be found")
            {
                FailedBecause = FailureKind.BrokenData,
            }, false))
            : Ask(new IPEndPoint(server.Address, _options.QueryPort), server.ToString(), name, type, recursion: false, cancellationToken, dnssecOk);

    public ValueTask<ServerAnswer> AskResolverAsync(IPEndPoint resolver, DnsName name, RecordType type, CancellationToken cancellationToken, bool checkingDisabled = false) =>
        checkingDisabled
            ? new(_memo.ServerAnswer(resolver + "+rd+cd", name, type, () => AskCheckingDisabled(resolver, name, type, cancellationToken)).WaitAsync(cancellationToken))
            : Ask(resolver, resolver.Address.ToString(), name, type, recursion: true, cancellationToken);

    private async Task<ServerAnswer> AskCheckingDisabled(IPEndPoint resolver, DnsName name, RecordType type, CancellationToken cancellationToken)
    {
        var label = resolver.Address.ToString();
        var (response, failure, kind) = await _transport.SendCheckingDisabledAsync(resolver, name, type, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return new ServerAnswer(label, new DnsAnswer(name, type, AnswerStatus.Failure, [], name, failure) { FailedBecause = kind }, false);
        }

        var code = (int)response.ReturnCode;
        var records = DnsTransport.ConvertPresentation(response.AnswerRecords.Select(r => r.ToString()));
        var soa = DnsTransport.ConvertPresentation(response.AuthorityRecords.Select(r => r.ToString())).FirstOrDefault(r => r.Type == RecordType.SOA);
        var answer = code switch
        {
            3 => new DnsAnswer(name, type, AnswerStatus.NameError, records, name, Soa: soa),
            not 0 => new DnsAnswer(name, type, AnswerStatus.Failure, records, name, ResponseCodes.Answered(label, code)) { FailedBecause = FailureKind.ServerError },
            _ when records.Any(r => r.Type == type) => new DnsAnswer(name, type, AnswerStatus.Answer, records, records.Last().Owner),
            _ => new DnsAnswer(name, type, AnswerStatus.NoData, records, name, Soa: soa),
        };
        return new ServerAnswer(label, answer, response.IsAuthoritiveAnswer);
    }

    private ValueTask<ServerAnswer> Ask(IPEndPoint endpoint, string label, DnsName name, RecordType type, bool recursion, CancellationToken cancellationToken, bool dnssecOk = false)
    {
        var asked = endpoint + (recursion ? "+rd" : "") + (dnssecOk ? "+do" : "");
        return new(_memo.ServerAnswer(asked, name, type, recursion || _shared is null
            ? () => AskOnce(endpoint, label, name, type, recursion, cancellationToken, dnssecOk)
            : () => AskShared(asked, endpoint, label, name, type, cancellationToken, dnssecOk)).WaitAsync(cancellationToken));
    }

    /// <summary>
    /// An authoritative server's answer, from the shared cache when it is about a zone above the
    /// customer's and an earlier diagnosis got it (logged as cached); asked, and kept if it may be, otherwise.
    /// </summary>
    private async Task<ServerAnswer> AskShared(string asked, IPEndPoint endpoint, string label, DnsName name, RecordType type, CancellationToken cancellationToken, bool dnssecOk)
    {
        if (_shared!.Answer(asked, name, type) is { } kept)
        {
            _log.Record(new QueryLogEntry(endpoint.ToString(), name.Text, type.ToString(), "NOERROR", kept.Authoritative, kept.Authoritative ? "aa" : "", 0) { Cached = true });
            return kept;
        }

        var answer = await AskOnce(endpoint, label, name, type, recursion: false, cancellationToken, dnssecOk).ConfigureAwait(false);
        _shared.Keep(asked, name, type, answer);
        return answer;
    }

    private async Task<ServerAnswer> AskOnce(IPEndPoint endpoint, string label, DnsName name, RecordType type, bool recursion, CancellationToken cancellationToken, bool dnssecOk)
    {
        var (response, failure, limitReached, kind) = await _transport.SendAsync(endpoint, endpoint.ToString(), name, type, recursion, dnssecOk, cancellationToken, label).ConfigureAwait(false);
        if (response is null)
        {
            return new ServerAnswer(label, new DnsAnswer(name, type, AnswerStatus.Failure, [], name, failure) { LimitReached = limitReached, FailedBecause = kind }, false);
        }

        var code = response.Header.ResponseCode;
        var authoritative = response.Header.HasAuthorityAnswer;
        var records = DnsTransport.Convert(response.Answers);
        var soa = DnsTransport.Convert(response.Authorities).FirstOrDefault(r => r.Type == RecordType.SOA);
        var referral = response.Authorities.NsRecords().Select(ns => ns.NSDName.Value).ToList();
        var answer = code switch
        {
            DnsHeaderResponseCode.NotExistentDomain => new DnsAnswer(name, type, AnswerStatus.NameError, records, name, Soa: soa),
            not DnsHeaderResponseCode.NoError => new DnsAnswer(name, type, AnswerStatus.Failure, records, name, ResponseCodes.Answered(label, (int)code)) { FailedBecause = FailureKind.ServerError },
            _ when records.Any(r => r.Type == type) => new DnsAnswer(name, type, AnswerStatus.Answer, records, records.Last().Owner),
            _ when !recursion && !authoritative && referral.Count > 0 =>
                new DnsAnswer(name, type, AnswerStatus.NotCheckable, records, name, $"{label} referred the question to {string.Join(", ", referral)}"),
            _ when !recursion && !authoritative =>
                new DnsAnswer(name, type, AnswerStatus.Failure, records, name, ResponseCodes.Lame(label)) { FailedBecause = FailureKind.ServerError },
            _ => new DnsAnswer(name, type, AnswerStatus.NoData, records, name, Soa: soa),
        };
        var proof = dnssecOk
            ? DnsTransport.Convert(response.Authorities).Where(r => r.Type.Value is RecordType.Codes.RRSIG or RecordType.Codes.NSEC or RecordType.Codes.NSEC3).ToList()
            : [];
        return new ServerAnswer(label, answer with { Proof = proof }, authoritative);
    }
}
