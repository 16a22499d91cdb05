using System.Net;
using System.Net.Sockets;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Dns.ZoneFiles;
using RulesApi.Fixtures;
using Ar = ARSoft.Tools.Net.Dns;
using ArDomainName = ARSoft.Tools.Net.DomainName;

namespace RulesApi.FixtureServer;

/// <summary>
/// Serves a scenario over UDP and TCP on loopback addresses, one address per name server of the
/// hierarchy (the glue in the scenario's zones: 127.0.10.1 for the root, .2 for the TLDs, …), all on
/// one port, each answering as <see cref="FixtureNameServer"/> says; and the scenario's recursive
/// resolver on <see cref="FixtureScenario.ResolverAddress"/>.
/// </summary>
public sealed class FixtureDnsServer : IDisposable
{
    private readonly List<Ar.DnsServer> _servers = [];

    private FixtureDnsServer(FixtureScenario scenario, int port, IReadOnlyDictionary<IPAddress, IReadOnlyList<ZoneData>> zonesByAddress)
    {
        Scenario = scenario;
        Port = port;
        ZonesByAddress = zonesByAddress;
    }

    public FixtureScenario Scenario { get; }

    public int Port { get; }

    /// <summary>Which zones each loopback address serves (its own copy of them).</summary>
    public IReadOnlyDictionary<IPAddress, IReadOnlyList<ZoneData>> ZonesByAddress { get; }

    /// <summary>The address of the root's server: where iteration starts.</summary>
    public IPAddress RootAddress => ZonesByAddress.First(pair => pair.Value.Any(z => z.Apex.IsRoot)).Key;

    /// <summary>The scenario's recursive resolver, as <c>Dns:Resolvers</c> names it.</summary>
    public string ResolverEndpoint => $"{FixtureScenario.ResolverAddress}:{Port}";

    /// <summary>
    /// Live-view settings that reach this server only: its root, its port, its resolver. The hierarchy
    /// lives on loopback addresses, which the service refuses unless told otherwise.
    /// </summary>
    public Dns.Live.LiveDnsOptions LiveOptions(int queryTimeoutMs = 2000) => new()
    {
        AllowPrivateAddresses = true,
        TrustAnchors = Scenario.TrustAnchors.Select(ds => ds.ToString()).ToList(),
        RootServers = [RootAddress.ToString()],
        Resolvers = [ResolverEndpoint],
        QueryPort = Port,
        QueryTimeoutMs = queryTimeoutMs,
    };

    /// <summary>
    /// Starts the servers; port 0 picks a free port. <paramref name="delay"/> holds every answer back (a
    /// slow network, for benchmarks). <paramref name="listen"/> chooses which of the scenario's server
    /// addresses get a listener (all when null): the others stay silent, so a scenario can name a thousand
    /// servers, or addresses that cannot be bound, without a socket for each.
    /// </summary>
    public static FixtureDnsServer Start(FixtureScenario scenario, int port = 0, TimeSpan delay = default, Func<IPAddress, bool>? listen = null)
    {
        if (port != 0)
        {
            return StartOn(scenario, port, delay, listen);
        }

        // A free port can be taken by another process between the probe and the bind: try another one.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return StartOn(scenario, 0, delay, listen);
            }
            catch (SocketException) when (attempt < 10)
            {
            }
        }
    }

    private static FixtureDnsServer StartOn(FixtureScenario scenario, int port, TimeSpan delay, Func<IPAddress, bool>? listen)
    {
        var nameServers = scenario.Servers.Values.SelectMany(addresses => addresses).Distinct()
            .Where(address => listen?.Invoke(address) ?? true)
            .Select(address => new FixtureNameServer(scenario, address)).ToList();
        var view = new FixtureView(scenario);
        port = port != 0 ? port : FreePort(nameServers.Select(s => s.Address).Append(FixtureScenario.ResolverAddress));
        var server = new FixtureDnsServer(scenario, port, nameServers.ToDictionary(s => s.Address, s => s.Zones));
        try
        {
            server.ListenAll(nameServers, view, port, delay);
        }
        catch (SocketException)
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    private void ListenAll(List<FixtureNameServer> nameServers, FixtureView view, int port, TimeSpan delay)
    {
        foreach (var nameServer in nameServers)
        {
            Listen(new IPEndPoint(nameServer.Address, port), delay, async (query, protocol) =>
            {
                var reply = nameServer.Reply(Question(query).Name, Question(query).Type, query.IsDnsSecOk);
                if (reply.Silent)
                {
                    // "timeout": hold the answer far longer than any client waits.
                    await Task.Delay(TimeSpan.FromSeconds(30));
                    return null;
                }

                var response = ToMessage(query, reply);
                if (reply.Fault?.Fault == "truncate" && protocol == Ar.TransportProtocol.Udp)
                {
                    response = query.CreateResponseInstance();
                    response.IsTruncated = true;
                }

                return response;
            });
        }

        Listen(new IPEndPoint(FixtureScenario.ResolverAddress, port), delay, (query, _) =>
        {
            var (name, type) = Question(query);
            var answer = view.AskResolver(FixtureScenario.ResolverAddress.ToString(), name, type, query.IsCheckingDisabled).Answer;
            var response = query.CreateResponseInstance();
            response.IsRecursionAllowed = true;
            response.IsCheckingDisabled = query.IsCheckingDisabled;
            response.ReturnCode = answer.Status switch
            {
                AnswerStatus.NameError => Ar.ReturnCode.NxDomain,
                AnswerStatus.Failure => Ar.ReturnCode.ServerFailure,
                _ => Ar.ReturnCode.NoError,
            };
            response.AnswerRecords.AddRange(answer.Records.Select(Convert).OfType<Ar.DnsRecordBase>());
            if (answer.Soa is { } soa && Convert(soa) is { } record)
            {
                response.AuthorityRecords.Add(record);
            }

            return Task.FromResult<Ar.DnsMessage?>(response);
        });
    }

    private void Listen(IPEndPoint endpoint, TimeSpan delay, Func<Ar.DnsMessage, Ar.TransportProtocol, Task<Ar.DnsMessage?>> answer)
    {
        var dns = new Ar.DnsServer(new Ar.UdpServerTransport(endpoint, 1000), new Ar.TcpServerTransport(endpoint, 1000, 1000));
        dns.QueryReceived += async (_, e) =>
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay);
            }

            if (e.Query is not Ar.DnsMessage { Questions.Count: 1 } query)
            {
                return; // no response: ARSoft answers SERVFAIL
            }

            if (!DnsName.TryParse(query.Questions[0].Name.ToString(), out DnsName? _, out string? _))
            {
                var bad = query.CreateResponseInstance();
                bad.ReturnCode = Ar.ReturnCode.FormatError;
                e.Response = bad;
                return;
            }

            e.Response = await answer(query, e.TransportProtocol);
        };
        dns.Start();
        _servers.Add(dns);
    }

    private static (DnsName Name, RecordType Type) Question(Ar.DnsMessage query) =>
        (DnsName.Parse(query.Questions[0].Name.ToString()), new RecordType((ushort)query.Questions[0].RecordType));

    public void Dispose()
    {
        foreach (var dns in _servers)
        {
            try
            {
                dns.Stop();
            }
            catch (AggregateException stopped) when (stopped.Flatten().InnerExceptions.All(e => e is OperationCanceledException))
            {
                // ARSoft's Stop cancels its listening tasks and reports their cancellation: that is the stop itself.
            }
        }
    }

    private static Ar.DnsMessage ToMessage(Ar.DnsMessage query, FixtureReply reply)
    {
        var response = query.CreateResponseInstance();
        response.ReturnCode = (Ar.ReturnCode)reply.ResponseCode;
        response.IsAuthoritiveAnswer = reply.Authoritative;
        response.AnswerRecords.AddRange(reply.Answer.Select(Convert).OfType<Ar.DnsRecordBase>());
        response.AuthorityRecords.AddRange(reply.Authority.Select(Convert).OfType<Ar.DnsRecordBase>());
        response.AdditionalRecords.AddRange(reply.Additional.Select(Convert).OfType<Ar.DnsRecordBase>());
        return response;
    }

    private static int FreePort(IEnumerable<IPAddress> addresses)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var probe = new UdpClient(new IPEndPoint(addresses.First(), 0));
            var port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
            try
            {
                foreach (var address in addresses)
                {
                    using var tcp = new TcpListener(address, port);
                    tcp.Start();
                    tcp.Stop();
                }

                return port;
            }
            catch (SocketException)
            {
                // taken on one of the addresses: try another
            }
        }

        throw new InvalidOperationException("no free port on the loopback addresses");
    }

    private static Ar.DnsRecordBase? Convert(ResourceRecord record)
    {
        var name = ArDomainName.Parse(record.Owner.Text);
        var ttl = (int)record.Ttl;
        return record.Data switch
        {
            AddressData { Address.AddressFamily: AddressFamily.InterNetwork } a => new Ar.ARecord(name, ttl, a.Address),
            AddressData a => new Ar.AaaaRecord(name, ttl, a.Address),
            NameData n when record.Type == RecordType.CNAME => new Ar.CNameRecord(name, ttl, ArDomainName.Parse(n.Target.Text)),
            NameData n when record.Type == RecordType.NS => new Ar.NsRecord(name, ttl, ArDomainName.Parse(n.Target.Text)),
            SoaData s => new Ar.SoaRecord(name, ttl, ArDomainName.Parse(s.PrimaryServer.Text), ArDomainName.Parse(s.Mailbox.Text), s.Serial,
                (int)s.Refresh, (int)s.Retry, (int)s.Expire, (int)s.Minimum),
            MxData m => new Ar.MxRecord(name, ttl, m.Preference, ArDomainName.Parse(m.Exchange.Text)),
            TxtData t => new Ar.TxtRecord(name, ttl, t.Strings),
            CaaData c => new Ar.CAARecord(name, ttl, c.Flags, c.Tag, c.Value),
            GenericData g => new Ar.UnknownRecord(name, (Ar.RecordType)record.Type.Value, Ar.RecordClass.INet, ttl, g.Octets),
            // Everything else (DS, DNSKEY, RRSIG, NSEC, …) goes out as its wire-format RDATA.
            _ when Dns.DnsSec.WireFormat.Rdata(record.Type, record.Data) is { } rdata =>
                new Ar.UnknownRecord(name, (Ar.RecordType)record.Type.Value, Ar.RecordClass.INet, ttl, rdata),
            _ => null,
        };
    }
}
