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

    protected override IReadOnlyList<string> References => [Rfc1034Delegation, "https://www.rfc-editor.org/rfc/rfc8499#section-7"];

    protected override async ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, IServerView view, ZoneServerFacts zone, CancellationToken cancellationToken)
    {
        var reports = await zone.Reports(context, view, cancellationToken).ConfigureAwait(false);
        var lame = reports.Where(s => s.Soa.Answer.Status != AnswerStatus.Answer || !s.Soa.Authoritative).ToList();
        if (lame.Count == 0)
        {
            return [];
        }

        var all = lame.Count == reports.Count;
        var why = lame.Select(s => s.Soa.Answer.Detail ?? $"{s.Server} answered without authority").ToList();
        var message = $"{lame.Count} of the {reports.Count} servers {Show(zone.Zone.Apex)} is delegated to do not serve it: {string.Join("; ", why)}. " +
            (all ? "No server answers for the zone, so no lookup in it can succeed." : "Resolvers, ACM's included, lose time on them and may give up.");
        var remediation = new Remediation(
            $"Have the provider serve {Show(zone.Zone.Apex)} on {string.Join(", ", lame.Select(s => s.Server.Name.Text.TrimEnd('.')).Distinct())}, or remove those servers from the delegation at the registrar.", []);
        var finding = Report(zone.Zone.Apex, message, why, remediation, severity: all ? Severity.Error : Severity.Warning);
        return ForEachName(zone, finding);
    }
}
