using System.Net;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Fixtures;

/// <summary>One server's reply, before it becomes a DNS message: sections, flags, and the fault it injects.</summary>
public sealed record FixtureReply(
    int ResponseCode,
    bool Authoritative,
    IReadOnlyList<ResourceRecord> Answer,
    IReadOnlyList<ResourceRecord> Authority,
    IReadOnlyList<ResourceRecord> Additional,
    FixtureFault? Fault = null)
{
    public const int NoError = 0;
    public const int ServFail = 2;
    public const int NxDomain = 3;
    public const int Refused = 5;

    /// <summary>True when the fault means no answer arrives at all.</summary>
    public bool Silent => Fault?.Fault == "timeout";
}

/// <summary>
/// What the scenario's server at one address answers, authoritatively, for the zones it serves (its own
/// copy of them, <see cref="FixtureScenario.ZoneAt"/>): answers with the CNAMEs inside the zone,
/// NXDOMAIN and NODATA with the SOA, referrals with glue at zone cuts, REFUSED outside its zones, and the
/// scenario's faults. The loopback server sends these replies; the fixture view reads them directly.
/// </summary>
public sealed class FixtureNameServer
{
    private readonly FixtureScenario _scenario;

    public FixtureNameServer(FixtureScenario scenario, IPAddress address)
    {
        _scenario = scenario;
        Address = address;
        Zones = scenario.Servers.Where(pair => pair.Value.Contains(address))
            .Select(pair => scenario.ZoneAt(address, scenario.Zones.First(zone => zone.Apex == pair.Key)))
            .OrderByDescending(zone => zone.Apex.LabelCount)
            .ToList();
    }

    public IPAddress Address { get; }

    /// <summary>The zones this server serves, deepest first.</summary>
    public IReadOnlyList<ZoneData> Zones { get; }

    public FixtureReply Reply(DnsName name, RecordType type, bool dnssecOk = false)
    {
        var fault = _scenario.FaultFor(name, type, Address);
        switch (fault?.Fault)
        {
            case "servfail":
                return new FixtureReply(FixtureReply.ServFail, false, [], [], [], fault);
            case "refused":
                return new FixtureReply(FixtureReply.Refused, false, [], [], [], fault);
            case "lame":
                return new FixtureReply(FixtureReply.NoError, false, [], [], [], fault);
            case "timeout":
                return new FixtureReply(FixtureReply.NoError, false, [], [], [], fault);
        }

        // A server that also serves the parent answers a DS question about the child's apex from the parent.
        var zone = type == RecordType.DS && Zones.FirstOrDefault(z => z.Apex == name && !name.IsRoot) is not null
            && Zones.FirstOrDefault(z => name != z.Apex && name.IsSubdomainOf(z.Apex)) is { } parent
            ? parent
            : Zones.FirstOrDefault(z => name.IsSubdomainOf(z.Apex));
        if (zone is null)
        {
            return new FixtureReply(FixtureReply.Refused, false, [], [], [], fault);
        }

        var answer = new ZoneView(zone).Resolve(name, type);
        var soa = zone.At(zone.Apex, RecordType.SOA).Take(1).ToList();
        switch (answer.Status)
        {
            case AnswerStatus.NameError:
                // With DO set, the NSEC that covers the missing name, and its signature (RFC 4035 §3.1.3.2).
                return new FixtureReply(FixtureReply.NxDomain, true, answer.Records, dnssecOk ? [.. soa, .. Covering(zone, answer.FinalName)] : soa, [], fault);
            case AnswerStatus.NoData:
                return new FixtureReply(FixtureReply.NoError, true, answer.Records, soa, [], fault);
            case AnswerStatus.Failure:
                return new FixtureReply(FixtureReply.ServFail, false, answer.Records, [], [], fault);
            case AnswerStatus.NotCheckable when zone.DelegationCovering(answer.FinalName) is { } cut:
                // A referral: the child's name servers, and their addresses when this zone has them (glue).
                var delegation = zone.At(cut, RecordType.NS);
                var glue = delegation.SelectMany(ns => zone.At(((NameData)ns.Data).Target, RecordType.A)
                    .Concat(zone.At(((NameData)ns.Data).Target, RecordType.AAAA))).ToList();
                return new FixtureReply(FixtureReply.NoError, answer.Records.Count > 0, answer.Records, delegation, glue, fault);
            default:
                // An answer, or a CNAME chain that leaves the zone (the resolver goes on from its end).
                return new FixtureReply(FixtureReply.NoError, true, answer.Records, [], [], fault);
        }
    }

    // The NSEC record whose owner sorts before the name and whose next name after it (the last wraps to the apex).
    private static IEnumerable<ResourceRecord> Covering(ZoneData zone, DnsName name)
    {
        var order = Dns.DnsSec.CanonicalOrder.Instance;
        foreach (var owner in zone.Owners)
        {
            foreach (var nsec in zone.At(owner, RecordType.NSEC))
            {
                var next = ((NsecData)nsec.Data).NextName;
                var wraps = order.Compare(next, owner) <= 0;
                if (order.Compare(owner, name) < 0 && (order.Compare(name, next) < 0 || wraps))
                {
                    return [nsec, .. zone.At(owner, RecordType.RRSIG).Where(r => r.Data is RrsigData { TypeCovered.Value: 47 })];
                }
            }
        }

        return [];
    }

    /// <summary>The reply as a server answer, in the same words the live view uses.</summary>
    public ServerAnswer Ask(string label, DnsName name, RecordType type, bool dnssecOk = false)
    {
        var reply = Reply(name, type, dnssecOk);
        var soa = reply.Authority.FirstOrDefault(r => r.Type == RecordType.SOA);
        var answer = reply switch
        {
            { Silent: true } => new DnsAnswer(name, type, AnswerStatus.Failure, [], name, ResponseCodes.NoAnswer(label)) { FailedBecause = FailureKind.ServersSilent },
            { ResponseCode: FixtureReply.NxDomain } => new DnsAnswer(name, type, AnswerStatus.NameError, reply.Answer, name, Soa: soa),
            { ResponseCode: not FixtureReply.NoError } => new DnsAnswer(name, type, AnswerStatus.Failure, reply.Answer, name, ResponseCodes.Answered(label, reply.ResponseCode))
            {
                FailedBecause = FailureKind.ServerError,
            },
            _ when reply.Answer.Any(r => r.Type == type) => new DnsAnswer(name, type, AnswerStatus.Answer, reply.Answer, reply.Answer[^1].Owner),
            { Authoritative: false } when reply.Authority.Any(r => r.Type == RecordType.NS) => new DnsAnswer(name, type, AnswerStatus.NotCheckable, reply.Answer, name,
                $"{label} referred the question to {string.Join(", ", reply.Authority.Where(r => r.Type == RecordType.NS).Select(r => ((NameData)r.Data).Target.Text))}"),
            { Authoritative: false } => new DnsAnswer(name, type, AnswerStatus.Failure, reply.Answer, name, ResponseCodes.Lame(label)) { FailedBecause = FailureKind.ServerError },
            _ => new DnsAnswer(name, type, AnswerStatus.NoData, reply.Answer, name, Soa: soa),
        };
        var proof = dnssecOk ? reply.Authority.Where(r => r.Type.Value is 46 or 47 or 50).ToList() : [];
        return new ServerAnswer(label, answer with { Proof = proof }, reply.Authoritative && !reply.Silent);
    }
}
