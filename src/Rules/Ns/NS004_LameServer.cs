using RulesApi.Dns.Views;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Ns;

/// <summary>A server the zone is delegated to does not answer for it: it refuses, fails, times out, or answers without authority.</summary>
public sealed class NS004_LameServer : NsRule
{
    protected override string Id => "NS004";

    protected override string Title => "A delegated name server does not serve the zone (lame delegation)";

    protected override Severity DefaultSeverity => Severity.Warning;

    protected override string Summary =>
        "Every server the parent delegates the zone to must answer for it with authority. A server that refuses, fails, does not answer or answers without authority makes resolvers — and ACM's — wait and retry elsewhere; when every server is like that, no lookup in the zone succeeds.";

    private const string DoNotServe = "{lame} of the {total} servers {zone} is delegated to do not serve it: {why}. ";

    /// <summary>No server answers for the zone: nothing in it can be looked up.</summary>
    private static readonly RuleMessage AllLame = new("all-lame", Severity.Error, DoNotServe +
        "No server answers for the zone, so no lookup in it can succeed.");

    private static readonly RuleMessage SomeLame = new("some-lame", Severity.Warning, DoNotServe +
        "Resolvers, ACM's included, lose time on them and may give up.");

    /// <summary>A cap of the live diagnosis left servers unasked: what they would say is unknown.</summary>
    private static readonly RuleMessage NotAsked = new("servers-not-asked", Severity.Notice,
        "Not every server {zone} is delegated to was asked: {why}. Whether those servers serve the zone is unknown.");

    protected override IReadOnlyList<RuleMessage> Messages => [AllLame, SomeLame, NotAsked];

    protected override IReadOnlyList<string> References => [Rfc1034Delegation, "https://www.rfc-editor.org/rfc/rfc8499#section-7"];

    protected override async ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, IServerView view, ZoneServerFacts zone, CancellationToken cancellationToken)
    {
        var reports = await zone.Reports(context, view, cancellationToken).ConfigureAwait(false);
        // A server a cap of the diagnosis kept from being asked is not lame: it is unknown. The lists are made only when there
        // is something in them (by index, no iterators): usually every server answers.
        List<ServerReport>? unasked = null;
        List<ServerReport>? lame = null;
        for (var i = 0; i < reports.Count; i++)
        {
            var report = reports[i];
            if (report.Soa.Answer.LimitReached)
            {
                (unasked ??= []).Add(report);
            }
            else if (report.Soa.Answer.Status != AnswerStatus.Answer || !report.Soa.Authoritative)
            {
                (lame ??= []).Add(report);
            }
        }

        IEnumerable<Finding> findings = [];
        if (zone.Zone.Omitted is not null || unasked is not null)
        {
            var reasons = (unasked ?? []).Select(s => s.Soa.Answer.Detail).Prepend(zone.Zone.Omitted).OfType<string>().Distinct();
            findings = ForEachName(zone, Report(zone.Zone.Apex, NotAsked, new { zone = Show(zone.Zone.Apex), why = string.Join("; ", reasons) }, inconclusive: true)).ToList();
        }

        if (lame is null)
        {
            return findings;
        }

        var all = lame.Count == reports.Count;
        var why = lame.Select(s => s.Soa.Answer.Detail ?? $"{s.Server} answered without authority").ToList();
        var arguments = new { lame = lame.Count, total = reports.Count, zone = Show(zone.Zone.Apex), why = string.Join("; ", why) };
        var remediation = new Remediation(
            $"Have the provider serve {Show(zone.Zone.Apex)} on {string.Join(", ", lame.Select(s => s.Server.Name.Text.TrimEnd('.')).Distinct())}, or remove those servers from the delegation at the registrar.", []);
        var finding = Report(zone.Zone.Apex, all ? AllLame : SomeLame, arguments, why, remediation);
        return findings.Concat(ForEachName(zone, finding));
    }
}
