using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Ns;

/// <summary>One authoritative server of a zone and what it said about the zone's apex.</summary>
public sealed record ServerReport(NameServerAddress Server, ServerAnswer Soa, ServerAnswer Ns)
{
    /// <summary>The zone's serial on this server, when it answered with authority.</summary>
    public uint? Serial => Soa.Authoritative && Soa.Answer.Matching.FirstOrDefault() is { Data: SoaData soa } ? soa.Serial : null;

    public IReadOnlyList<DnsName> NsSet => Ns.Answer.Matching.Select(r => ((NameData)r.Data).Target).OrderBy(n => n.Text, StringComparer.OrdinalIgnoreCase).ToList();
}

/// <summary>
/// A zone that holds names of the subject, as the world finds it: the parent's delegation with the
/// servers' addresses, and which subject names live in it. The questions put to its servers are asked
/// once per diagnosis, every server at once, and separately, so that a rule waits only for the answers
/// it needs (each costs a round trip).
/// </summary>
/// <param name="Questions">
/// The questions whose answers must agree on every server: CAA at each name, and the validation CNAMEs in this zone
/// (<see cref="EveryServerQuestions"/>); none when the zone was not found.
/// </param>
public sealed record ZoneServerFacts(ZoneServers Zone, IReadOnlyList<DnsName> Names, IReadOnlyList<(DnsName Name, RecordType Type, IReadOnlyList<DnsName> Domains)> Questions)
{
    public static Task<IReadOnlyList<ZoneServerFacts>> For(DiagnosisContext context, IServerView view, CancellationToken cancellationToken) =>
        context.Memo(default(ZoneServersKey), (context, view, cancellationToken), static s => Gather(s.context, s.view, s.cancellationToken));

    /// <summary>Each server's SOA and NS answers for the apex.</summary>
    public Task<IReadOnlyList<ServerReport>> Reports(DiagnosisContext context, IServerView view, CancellationToken cancellationToken) =>
        context.Memo(new ServerReportsKey(Zone.Apex), (facts: this, view, cancellationToken), static s => s.facts.AskForReports(s.view, s.cancellationToken));

    private async ValueTask<IReadOnlyList<ServerReport>> AskForReports(IServerView view, CancellationToken cancellationToken) =>
        await AtOnce.Ask(Zone.Servers, (Zone.Apex, view, cancellationToken), static (server, s) => AskForReport(s.view, server, s.Apex, s.cancellationToken))
            .ConfigureAwait(false);

    private static ValueTask<ServerReport> AskForReport(IServerView view, NameServerAddress server, DnsName apex, CancellationToken cancellationToken)
    {
        // Both asked before either is awaited; each awaited once.
        var soa = view.AskServerAsync(server, apex, RecordType.SOA, cancellationToken);
        var ns = view.AskServerAsync(server, apex, RecordType.NS, cancellationToken);
        return soa.IsCompletedSuccessfully && ns.IsCompletedSuccessfully
            ? new ValueTask<ServerReport>(new ServerReport(server, soa.Result, ns.Result))
            : Wait(server, soa, ns);

        static async ValueTask<ServerReport> Wait(NameServerAddress server, ValueTask<ServerAnswer> soa, ValueTask<ServerAnswer> ns) =>
            new(server, await soa.ConfigureAwait(false), await ns.ConfigureAwait(false));
    }

    /// <summary>Every server of the zone, asked one question.</summary>
    public Task<IReadOnlyList<ServerAnswer>> AskEach(DiagnosisContext context, IServerView view, DnsName name, RecordType type, CancellationToken cancellationToken) =>
        context.Memo(new AskEveryServerKey(Zone.Apex, name, type), (facts: this, view, name, type, cancellationToken),
            static s => s.facts.AskEveryServer(s.view, s.name, s.type, s.cancellationToken));

    private async ValueTask<IReadOnlyList<ServerAnswer>> AskEveryServer(IServerView view, DnsName name, RecordType type, CancellationToken cancellationToken) =>
        await AtOnce.Ask(Zone.Servers, (view, name, type, cancellationToken), static (server, s) => s.view.AskServerAsync(server, s.name, s.type, s.cancellationToken))
            .ConfigureAwait(false);

    /// <summary>The servers that answered the SOA question with authority.</summary>
    public static IReadOnlyList<ServerReport> Answering(IReadOnlyList<ServerReport> reports)
    {
        var answering = new List<ServerReport>(reports.Count);
        foreach (var report in reports)
        {
            if (report.Soa.Authoritative && report.Soa.Answer.Status == AnswerStatus.Answer)
            {
                answering.Add(report);
            }
        }

        return answering;
    }

    private static async ValueTask<IReadOnlyList<ZoneServerFacts>> Gather(DiagnosisContext context, IServerView view, CancellationToken cancellationToken)
    {
        var zones = await SubjectZones.For(context, view, cancellationToken).ConfigureAwait(false);
        var facts = new ZoneServerFacts[zones.Count];
        for (var i = 0; i < facts.Length; i++)
        {
            var zone = zones[i];
            facts[i] = new ZoneServerFacts(zone.Zone, zone.Names, zone.Found
                ? EveryServerQuestions.InZone(zone.Zone.Apex, zone.Names, context.Subject.Validations)
                : []);
        }

        return facts;
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
        // By index, and the list made at the first finding, as the CAA and SEC families do: most diagnoses find nothing here,
        // and each NS rule made an enumerator of the zones and an empty list for it.
        var view = (IServerView)context.View;
        List<Finding>? findings = null;
        var zones = await ZoneServerFacts.For(context, view, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < zones.Count; i++)
        {
            var zone = zones[i];
            if (zone.Zone.Failure is null && !zone.Zone.Apex.IsRoot)
            {
                var found = await Check(context, view, zone, cancellationToken).ConfigureAwait(false);
                if (found is not ICollection<Finding> { Count: 0 })
                {
                    (findings ??= []).AddRange(found);
                }
            }
        }

        return findings ?? (IReadOnlyList<Finding>)[];
    }

    protected abstract ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, IServerView view, ZoneServerFacts zone, CancellationToken cancellationToken);

    /// <summary>One finding per subject name in the zone, so each name's verdict reflects it.</summary>
    protected IEnumerable<Finding> ForEachName(ZoneServerFacts zone, Finding finding) => zone.Names.Select(name => finding with { Name = name.Text });

    protected static string Names(IEnumerable<DnsName> names) => string.Join(", ", names.Select(Show));
}

/// <summary>The memo keys of the NS facts: the zones, each zone's server reports, one question asked of every server of a zone.</summary>
internal readonly record struct ZoneServersKey;

internal readonly record struct ServerReportsKey(DnsName Apex);

internal readonly record struct AskEveryServerKey(DnsName Apex, DnsName Name, RecordType Type);
