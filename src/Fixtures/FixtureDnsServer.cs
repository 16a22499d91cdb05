using System.Net;
using System.Net.Sockets;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Dns.ZoneFiles;
using Ar = ARSoft.Tools.Net.Dns;
using ArDomainName = ARSoft.Tools.Net.DomainName;

namespace RulesApi.Fixtures;

/// <summary>
/// Serves a scenario over UDP and TCP on loopback addresses, one address per name server of the
/// hierarchy (the glue in the scenario's zones: 127.0.10.1 for the root, .2 for the TLDs, …), all on
/// one port. Each server answers authoritatively for its zones: answers with the CNAMEs inside the
/// zone, NXDOMAIN and NODATA with the SOA, and referrals with glue at zone cuts, as real servers do.
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

    /// <summary>Which zones each loopback address serves.</summary>
    public IReadOnlyDictionary<IPAddress, IReadOnlyList<ZoneData>> ZonesByAddress { get; }

    /// <summary>The address of the root's server: where iteration starts.</summary>
    public IPAddress RootAddress => ZonesByAddress.First(pair => pair.Value.Any(z => z.Apex.IsRoot)).Key;

    /// <summary>Starts the servers; port 0 picks a free port. <paramref name="delay"/> holds every answer back (a slow network, for benchmarks).</summary>
    public static FixtureDnsServer Start(FixtureScenario scenario, int port = 0, TimeSpan delay = default)
    {
        var zonesByAddress = scenario.Zones
            .GroupBy(zone => ServerAddress(scenario, zone))
            .ToDictionary(group => group.Key, group => (IReadOnlyList<ZoneData>)group.OrderByDescending(z => z.Apex.LabelCount).ToList());
        port = port != 0 ? port : FreePort(zonesByAddress.Keys);
        var server = new FixtureDnsServer(scenario, port, zonesByAddress);
        foreach (var (address, zones) in zonesByAddress)
        {
            var endpoint = new IPEndPoint(address, port);
            var dns = new Ar.DnsServer(new Ar.UdpServerTransport(endpoint, 1000), new Ar.TcpServerTransport(endpoint, 1000, 1000));
            dns.QueryReceived += async (_, e) =>
            {
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay);
                }

                var query = e.Query as Ar.DnsMessage;
                var fault = query?.Questions.Count == 1 && DnsName.TryParse(query.Questions[0].Name.ToString(), out var asked, out string? _)
                    ? scenario.FaultFor(asked, new RecordType((ushort)query.Questions[0].RecordType))
                    : null;
                e.Response = fault is null ? Answer(zones, query) : await Fault(fault, query!, e.TransportProtocol, zones);
            };
            dns.Start();
            server._servers.Add(dns);
        }

        return server;
    }

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

    // A zone's server is the address its first name server has in the scenario's glue.
    private static IPAddress ServerAddress(FixtureScenario scenario, ZoneData zone)
    {
        foreach (var ns in zone.At(zone.Apex, RecordType.NS))
        {
            var target = ((NameData)ns.Data).Target;
            foreach (var other in scenario.Zones)
            {
                if (other.At(target, RecordType.A).FirstOrDefault() is { Data: AddressData address })
                {
                    return address.Address;
                }
            }
        }

        throw new InvalidDataException($"scenario {scenario.Name}: no glue address for the name servers of {zone.Apex.Text}");
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

    private static async Task<Ar.DnsMessage?> Fault(FixtureFault fault, Ar.DnsMessage query, Ar.TransportProtocol protocol, IReadOnlyList<ZoneData> zones)
    {
        var response = query.CreateResponseInstance();
        switch (fault.Fault)
        {
            case "servfail":
                response.ReturnCode = Ar.ReturnCode.ServerFailure;
                return response;
            case "refused":
                response.ReturnCode = Ar.ReturnCode.Refused;
                return response;
            case "lame":
                response.IsAuthoritiveAnswer = false;
                return response;
            case "truncate" when protocol == Ar.TransportProtocol.Udp:
                response.IsTruncated = true;
                return response;
            case "truncate":
                return Answer(zones, query);
            default:
                // "timeout": hold the answer far longer than any client waits.
                await Task.Delay(TimeSpan.FromSeconds(30));
                return null;
        }
    }

    private static Ar.DnsMessage? Answer(IReadOnlyList<ZoneData> zones, Ar.DnsMessage? query)
    {
        if (query is null || query.Questions.Count != 1)
        {
            return null; // ARSoft answers SERVFAIL
        }

        var question = query.Questions[0];
        var response = query.CreateResponseInstance();
        if (!DnsName.TryParse(question.Name.ToString(), out var name, out _))
        {
            response.ReturnCode = Ar.ReturnCode.FormatError;
            return response;
        }

        var zone = zones.FirstOrDefault(z => name.IsSubdomainOf(z.Apex));
        if (zone is null)
        {
            response.ReturnCode = Ar.ReturnCode.Refused;
            return response;
        }

        var answer = new ZoneView(zone).Resolve(name, new RecordType((ushort)question.RecordType));
        response.AnswerRecords.AddRange(answer.Records.Select(Convert).OfType<Ar.DnsRecordBase>());
        response.IsAuthoritiveAnswer = true;
        switch (answer.Status)
        {
            case AnswerStatus.NameError:
                response.ReturnCode = Ar.ReturnCode.NxDomain;
                AddSoa(zone, response);
                break;
            case AnswerStatus.NoData:
                AddSoa(zone, response);
                break;
            case AnswerStatus.Failure:
                response.ReturnCode = Ar.ReturnCode.ServerFailure;
                break;
            case AnswerStatus.NotCheckable when zone.DelegationCovering(answer.FinalName) is { } cut:
                // A referral: the child's name servers, and their addresses when they live below the cut (glue).
                response.IsAuthoritiveAnswer = answer.Records.Count > 0;
                var delegation = zone.At(cut, RecordType.NS);
                response.AuthorityRecords.AddRange(delegation.Select(Convert).OfType<Ar.DnsRecordBase>());
                foreach (var target in delegation.Select(ns => ((NameData)ns.Data).Target))
                {
                    response.AdditionalRecords.AddRange(zone.At(target, RecordType.A).Concat(zone.At(target, RecordType.AAAA))
                        .Select(Convert).OfType<Ar.DnsRecordBase>());
                }

                break;
        }

        return response;
    }

    private static void AddSoa(ZoneData zone, Ar.DnsMessage response)
    {
        if (zone.At(zone.Apex, RecordType.SOA).FirstOrDefault() is { } soa && Convert(soa) is { } record)
        {
            response.AuthorityRecords.Add(record);
        }
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
            _ => null,
        };
    }
}
