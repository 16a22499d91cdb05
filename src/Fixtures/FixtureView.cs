using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;

namespace RulesApi.Fixtures;

/// <summary>
/// Answers from a scenario's hierarchy of zones as a resolver would: each question goes to the deepest
/// zone that contains the name, to its servers in the order a resolver tries them (the first that gives
/// a usable answer answers, with its own copy of the zone), and a CNAME that leaves one zone is followed
/// into the next. A name delegated to a zone the scenario does not have cannot be answered. As an
/// <see cref="IServerView"/> it asks single servers and the scenario's resolver, without a network.
/// A scenario never changes, so every answer is a pure function of the question: <see cref="Of"/> hands
/// out one view per scenario, which keeps the answers it has worked out (a bounded number of them).
/// </summary>
public sealed class FixtureView : IDnsView, IServerView
{
    private const int MaxHops = 16;

    /// <summary>
    /// Answers kept per view and kind of question. A fixture diagnosis asks a few dozen questions, the same
    /// ones every time; the bound only stops requests naming made-up names from growing the memo forever
    /// (past it, answers are worked out afresh each time, as they would be without the memo).
    /// </summary>
    public const int MaxRememberedAnswers = 4096;

    private static readonly ConditionalWeakTable<FixtureScenario, FixtureView> Shared = new();

    private readonly FixtureScenario _scenario;
    private readonly Dictionary<IPAddress, FixtureNameServer> _servers;
    private readonly ConcurrentDictionary<(DnsName Name, RecordType Type), DnsAnswer> _resolved = new();
    private readonly ConcurrentDictionary<(string Label, IPAddress Address, DnsName Name, RecordType Type, bool DnssecOk), ServerAnswer> _asked = new();
    private readonly ConcurrentDictionary<(string Label, DnsName Name, RecordType Type, bool CheckingDisabled), ServerAnswer> _resolverAsked = new();
    private readonly ConcurrentDictionary<DnsName, ZoneServers> _zoneServers = new();

    /// <summary>The one view of a scenario that diagnoses share: its answers are worked out once, not per request.</summary>
    public static FixtureView Of(FixtureScenario scenario) => Shared.GetValue(scenario, own => new FixtureView(own));

    public FixtureView(FixtureScenario scenario)
    {
        _scenario = scenario;
        _servers = scenario.Servers.Values.SelectMany(addresses => addresses).Distinct()
            .ToDictionary(address => address, address => new FixtureNameServer(scenario, address));
        // Made once: a lambda that uses the view is a new delegate at every question, answered from the memo or not.
        _work = key => Work(key.Name, key.Type);
        _askServer = key => _servers[key.Address].Ask(key.Label, key.Name, key.Type, key.DnssecOk);
        _workAsResolver = key => WorkAsResolver(key.Label, key.Name, key.Type, key.CheckingDisabled);
        _zoneServersOf = ZoneServersOf;
    }

    private readonly Func<(DnsName Name, RecordType Type), DnsAnswer> _work;
    private readonly Func<(string Label, IPAddress Address, DnsName Name, RecordType Type, bool DnssecOk), ServerAnswer> _askServer;
    private readonly Func<(string Label, DnsName Name, RecordType Type, bool CheckingDisabled), ServerAnswer> _workAsResolver;
    private readonly Func<DnsName, ZoneServers> _zoneServersOf;

    public string Description => $"fixture scenario '{_scenario.Name}'";

    public bool AnswersFromMemory => true;

    public ValueTask<DnsAnswer> QueryAsync(DnsName name, RecordType type, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Resolve(name, type));

    public DnsAnswer Resolve(DnsName name, RecordType type) => Remember(_resolved, (name, type), _work);

    /// <summary>The answer for a key, kept when there is room (the answers are immutable records, safe to share).</summary>
    private static TValue Remember<TKey, TValue>(ConcurrentDictionary<TKey, TValue> memo, TKey key, Func<TKey, TValue> work)
        where TKey : notnull
    {
        if (memo.TryGetValue(key, out var known))
        {
            return known;
        }

        var value = work(key);
        if (memo.Count < MaxRememberedAnswers)
        {
            memo.TryAdd(key, value);
        }

        return value;
    }

    private DnsAnswer Work(DnsName name, RecordType type)
    {
        var chain = new List<ResourceRecord>();
        var current = name;
        for (var hop = 0; hop < MaxHops; hop++)
        {
            // DS questions about a zone's apex go to its parent, which holds the DS set (RFC 4035 §2.4).
            var zone = _scenario.ZoneContaining(current) is { } deepest && type == RecordType.DS && deepest.Apex == current && !current.IsRoot
                ? _scenario.ParentOf(deepest)
                : _scenario.ZoneContaining(current);
            if (zone is null)
            {
                return new DnsAnswer(name, type, AnswerStatus.NotCheckable, chain, current, $"no zone of the scenario contains {current.Text}");
            }

            var failures = new List<string>();
            var kinds = new List<FailureKind>();
            DnsAnswer? answer = null;
            foreach (var address in _scenario.Servers[zone.Apex])
            {
                var asked = _servers[address].Ask(address.ToString(), current, type);
                if (asked.Answer.Status != AnswerStatus.Failure)
                {
                    answer = new ZoneView(_scenario.ZoneAt(address, zone)).Resolve(current, type);
                    break;
                }

                failures.Add(asked.Answer.Detail!);
                kinds.Add(asked.Answer.FailedBecause);
            }

            if (answer is null)
            {
                return new DnsAnswer(name, type, AnswerStatus.Failure, chain, current, $"the {type} lookup of {current.Text} failed: {string.Join("; ", failures)}")
                {
                    FailedBecause = FailureKinds.Combine(kinds),
                };
            }

            chain.AddRange(answer.Records);
            // Answered here, or delegated to a zone the scenario does not have: that is the answer.
            if (answer.Status != AnswerStatus.NotCheckable || answer.FinalName == current)
            {
                return answer with { Question = name, Records = chain };
            }

            // The chain left this zone: go on with the name it reached, in the zone that holds it.
            current = answer.FinalName;
        }

        return new DnsAnswer(name, type, AnswerStatus.Failure, chain, current, $"more than {MaxHops} zones crossed resolving {name.Text}") { FailedBecause = FailureKind.LimitReached };
    }

    /// <summary>True when the zone holding the name has DS records at its parent and none matches a key of the zone.</summary>
    private bool BrokenChain(DnsName name)
    {
        if (_scenario.ZoneContaining(name) is not { } zone || _scenario.ParentOf(zone) is not { } parent)
        {
            return false;
        }

        var ds = parent.At(zone.Apex, RecordType.DS).Select(r => r.Data).OfType<DsData>().ToList();
        var keys = _scenario.ZoneAt(_scenario.Servers[zone.Apex][0], zone).At(zone.Apex, RecordType.DNSKEY).Select(r => r.Data).OfType<DnsKeyData>().ToList();
        return ds.Count > 0 && !ds.Any(d => keys.Any(k => Dns.DnsSec.DnsSecCrypto.Matches(d, zone.Apex, k)));
    }

    public IReadOnlyList<DsData> TrustAnchors => _scenario.TrustAnchors;

    public IReadOnlyList<IPEndPoint> Resolvers { get; } = [new IPEndPoint(FixtureScenario.ResolverAddress, 53)];

    public ValueTask<ZoneServers> FindZoneServersAsync(DnsName name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Remember(_zoneServers, name, _zoneServersOf));

    private ZoneServers ZoneServersOf(DnsName name)
    {
        var zone = _scenario.ZoneContaining(name);
        if (zone is null)
        {
            return new ZoneServers(name, [], [], $"no zone of the scenario contains {name.Text}");
        }

        if (zone.Apex.IsRoot)
        {
            return new ZoneServers(zone.Apex, [],
                _scenario.Servers[zone.Apex].Select(address => new NameServerAddress(DnsName.Root, address)).ToList());
        }

        var delegation = _scenario.DelegationOf(zone);
        var servers = delegation.SelectMany(ns => _scenario.AddressesOf(ns) is { Count: > 0 } addresses
            ? addresses.Select(address => new NameServerAddress(ns, address))
            : [new NameServerAddress(ns, null)]).ToList();
        return new ZoneServers(zone.Apex, delegation, servers);
    }

    public ValueTask<ServerAnswer> AskServerAsync(NameServerAddress server, DnsName name, RecordType type, CancellationToken cancellationToken, bool dnssecOk = false)
    {
        var label = server.ToString();
        if (server.Address is null || !_servers.TryGetValue(server.Address, out _))
        {
            var why = server.Address is null ? $"the address of {server.Name.Text} could not be found" : ResponseCodes.NoAnswer(label);
            return ValueTask.FromResult(new ServerAnswer(label, new DnsAnswer(name, type, AnswerStatus.Failure, [], name, why)
            {
                FailedBecause = server.Address is null ? FailureKind.BrokenData : FailureKind.ServersSilent,
            }, false));
        }

        return ValueTask.FromResult(Remember(_asked, (label, server.Address, name, type, dnssecOk), _askServer));
    }

    public ValueTask<ServerAnswer> AskResolverAsync(IPEndPoint resolver, DnsName name, RecordType type, CancellationToken cancellationToken, bool checkingDisabled = false) =>
        ValueTask.FromResult(AskResolver(resolver.Address.ToString(), name, type, checkingDisabled));

    /// <summary>The scenario's resolver: what it still has cached, else a fresh resolution (a failure is its SERVFAIL).</summary>
    public ServerAnswer AskResolver(string label, DnsName name, RecordType type, bool checkingDisabled = false) =>
        Remember(_resolverAsked, (label, name, type, checkingDisabled), _workAsResolver);

    private ServerAnswer WorkAsResolver(string label, DnsName name, RecordType type, bool checkingDisabled)
    {
        if (_scenario.Metadata.Resolver is { Validating: true } && !checkingDisabled && BrokenChain(name))
        {
            return new ServerAnswer(label, new DnsAnswer(name, type, AnswerStatus.Failure, [], name, ResponseCodes.Answered(label, FixtureReply.ServFail))
            {
                FailedBecause = FailureKind.ServerError,
            }, false);
        }

        if (_scenario.CachedFor(name, type) is { } cached)
        {
            // A cache hands the SOA on with the TTL it has left (RFC 2308 §5).
            var soa = _scenario.ZoneContaining(name)?.At(_scenario.ZoneContaining(name)!.Apex, RecordType.SOA).FirstOrDefault();
            var status = cached.Answer == "nxdomain" ? AnswerStatus.NameError : AnswerStatus.NoData;
            return new ServerAnswer(label, new DnsAnswer(name, type, status, [], name, Soa: soa is null ? null : soa with { Ttl = cached.RemainingTtl }), false);
        }

        var answer = Resolve(name, type);
        return answer.Status is AnswerStatus.Failure or AnswerStatus.NotCheckable
            ? new ServerAnswer(label, answer with
            {
                Status = AnswerStatus.Failure,
                Records = [],
                FinalName = name,
                Detail = ResponseCodes.Answered(label, FixtureReply.ServFail),
                FailedBecause = FailureKind.ServerError,
            }, false)
            : new ServerAnswer(label, answer with { FinalName = answer.Status == AnswerStatus.Answer ? answer.FinalName : name }, false);
    }
}
