using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Rules.Engine;

namespace RulesApi.Rules.Ns;

/// <summary>One authoritative server of a zone and what it said about the zone's apex.</summary>
public sealed record ServerReport(NameServerAddress Server, ServerAnswer Soa, ServerAnswer Ns)
{
    /// <summary>The zone's serial on this server, when it answered with authority.</summary>
    public uint? Serial => Soa.Authoritative && Soa.Answer.Matching.FirstOrDefault() is { Data: SoaData soa } ? soa.Serial : null;

    public IReadOnlyList<DnsName> NsSet => Ns.Answer.Matching.Select(r => ((NameData)r.Data).Target).OrderBy(n => n.Text, StringComparer.OrdinalIgnoreCase).ToList();
}

/// <summary>
/// A zone that holds names of the subject, as the world finds it: the parent's delegation, each
/// delegated server's SOA and NS answers for the apex, and which subject names live in it. Gathered
/// once per diagnosis for the NS rules, with every server asked at once.
/// </summary>
public sealed record ZoneServerFacts(ZoneServers Zone, IReadOnlyList<ServerReport> Servers, IReadOnlyList<DnsName> Names)
{
    /// <summary>The servers that answered the SOA question with authority.</summary>
    public IReadOnlyList<ServerReport> Answering => Servers.Where(s => s.Soa.Authoritative && s.Soa.Answer.Status == AnswerStatus.Answer).ToList();

    public static Task<IReadOnlyList<ZoneServerFacts>> For(DiagnosisContext context, IServerView view, CancellationToken cancellationToken) =>
        context.Memo("ns:zones", () => Gather(context, view, cancellationToken));

    /// <summary>Every server of the zone holding <paramref name="name"/>, asked one question; once per diagnosis.</summary>
    public static Task<IReadOnlyList<ServerAnswer>> AskEach(DiagnosisContext context, IServerView view, ZoneServerFacts zone, DnsName name, RecordType type,
        CancellationToken cancellationToken) =>
        context.Memo($"ns:ask:{name.Text}:{type}", async () => (IReadOnlyList<ServerAnswer>)await Task.WhenAll(zone.Zone.Servers
            .Select(server => view.AskServerAsync(server, name, type, cancellationToken).AsTask())).ConfigureAwait(false));

    private static async Task<IReadOnlyList<ZoneServerFacts>> Gather(DiagnosisContext context, IServerView view, CancellationToken cancellationToken)
    {
        var names = context.Subject.Names.Select(n => n.IsWildcard ? n.Parent : n).Distinct().ToList();
        var zones = await Task.WhenAll(names.Select(n => view.FindZoneServersAsync(n, cancellationToken).AsTask())).ConfigureAwait(false);
        var result = new List<ZoneServerFacts>();
        foreach (var group in names.Zip(zones).GroupBy(pair => pair.Second.Apex))
        {
            var zone = group.First().Second;
            var reports = await Task.WhenAll(zone.Servers.Select(async server =>
            {
                var soa = view.AskServerAsync(server, zone.Apex, RecordType.SOA, cancellationToken).AsTask();
                var ns = view.AskServerAsync(server, zone.Apex, RecordType.NS, cancellationToken).AsTask();
                return new ServerReport(server, await soa.ConfigureAwait(false), await ns.ConfigureAwait(false));
            })).ConfigureAwait(false);
            var zoneNames = context.Subject.Names.Where(n => group.Any(pair => pair.First == (n.IsWildcard ? n.Parent : n))).ToList();
            result.Add(new ZoneServerFacts(zone, reports, zoneNames));
        }

        return result;
    }
}

/// <summary>The NS family: how the zones of the subject's names are delegated and served. Needs a view that can ask single servers.</summary>
public abstract class NsRule : Rule
{
    protected const string Rfc1034Delegation = "https://www.rfc-editor.org/rfc/rfc1034#section-4.2.2";
    protected const string Rfc2181Ns = "https://www.rfc-editor.org/rfc/rfc2181#section-5.4.1";

    protected override string Family => "NS";

    public override bool AppliesTo(DiagnosisContext context) => context.View is IServerView && context.Subject.Names.Count > 0;

    public override async ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken)
    {
        var view = (IServerView)context.View;
        var findings = new List<Finding>();
        foreach (var zone in await ZoneServerFacts.For(context, view, cancellationToken).ConfigureAwait(false))
        {
            if (zone.Zone.Failure is null && !zone.Zone.Apex.IsRoot)
            {
                findings.AddRange(await Check(context, view, zone, cancellationToken).ConfigureAwait(false));
            }
        }

        return findings;
    }

    protected abstract ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, IServerView view, ZoneServerFacts zone, CancellationToken cancellationToken);

    /// <summary>One finding per subject name in the zone, so each name's verdict reflects it.</summary>
    protected IEnumerable<Finding> ForEachName(ZoneServerFacts zone, Finding finding) => zone.Names.Select(name => finding with { Name = name.Text });

    protected static string Names(IEnumerable<DnsName> names) => string.Join(", ", names.Select(Show));
}
