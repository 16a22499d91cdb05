using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Ns;

/// <summary>The zone's servers give different answers: a different SOA serial, or records present on some and not others.</summary>
public sealed class NS003_ServersDisagree : NsRule
{
    protected override string Id => "NS003";

    protected override string Title => "The zone's authoritative servers disagree";

    protected override Severity DefaultSeverity => Severity.Warning;

    protected override string Summary =>
        "The servers the zone is delegated to should all serve the same copy of it. Different SOA serials, or a CAA or validation record present on some servers and not on others, mean the provider's internal propagation has not finished (or a server is stuck): ACM may ask the server that lacks the record.";

    private static readonly RuleMessage OutOfSync = new("out-of-sync", Severity.Warning,
        "The servers of {zone} do not serve the same data: {differences}. " +
        "The change has not reached every server yet; until it has, ACM may ask one that lacks it.");

    protected override IReadOnlyList<RuleMessage> Messages => [OutOfSync];

    protected override IReadOnlyList<string> References => [Rfc1034Delegation, "https://www.rfc-editor.org/rfc/rfc1996"];

    protected override async ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, IServerView view, ZoneServerFacts zone, CancellationToken cancellationToken)
    {
        // The apex questions and the per-name questions go to every server at once.
        var questions = zone.Questions(context).Select(q => (q.Name, q.Type)).Distinct().ToList();
        var asked = questions.Select(q => zone.AskEach(context, view, q.Name, q.Type, cancellationToken)).ToList();
        var answering = ZoneServerFacts.Answering(await zone.Reports(context, view, cancellationToken).ConfigureAwait(false));
        var differences = new List<string>();
        var evidence = new List<string>();
        var serials = answering.Where(s => s.Serial is not null).ToList();
        if (serials.Select(s => s.Serial).Distinct().Count() > 1)
        {
            differences.Add($"the SOA serial differs ({string.Join(", ", serials.Select(s => $"{s.Serial} at {s.Server}"))})");
            evidence.AddRange(serials.Select(s => $"{s.Server}: {s.Soa.Answer.Matching[0].ToZoneLine()}"));
        }

        foreach (var ((name, type), task) in questions.Zip(asked))
        {
            var answers = (await task.ConfigureAwait(false))
                .Where(a => a.Answer.Status is AnswerStatus.Answer or AnswerStatus.NoData or AnswerStatus.NameError).ToList();
            if (answers.All(a => a.Answer.Status == answers[0].Answer.Status && SameRecords.Of(a.Answer.Records, answers[0].Answer.Records)))
            {
                // Every server gave the same records: nothing to write out and compare.
                continue;
            }

            var groups = answers.GroupBy(Content).ToList();
            if (groups.Count > 1)
            {
                differences.Add($"the {type} answer for {Show(name)} differs: {string.Join("; ", groups.Select(g => $"{g.Key} at {string.Join(", ", g.Select(a => a.Server))}"))}");
                evidence.AddRange(answers.Select(a => $"{a.Server}: {name.Text} {type} → {Content(a)}"));
            }
        }

        if (differences.Count == 0)
        {
            return [];
        }

        var refresh = answering.Select(s => s.Soa.Answer.Matching[0].Data).OfType<SoaData>().Select(s => s.Refresh).DefaultIfEmpty(0u).Max();
        var arguments = new { zone = Show(zone.Zone.Apex), differences = string.Join("; and ", differences) };
        var remediation = new Remediation(
            $"Nothing to add: wait for the provider's servers to catch up (secondaries check the primary every SOA REFRESH, {FixVisibility.Duration(refresh)} here, or at once when notified). " +
            "If one stays behind for longer, ask the provider, or remove that server from the delegation.", []);
        return ForEachName(zone, Report(zone.Zone.Apex, OutOfSync, arguments, evidence, remediation));
    }

    /// <summary>What one server said, in a form two answers can be compared by.</summary>
    private static string Content(ServerAnswer answer) => answer.Answer.Status switch
    {
        AnswerStatus.NameError => "no such name (NXDOMAIN)",
        AnswerStatus.NoData when answer.Answer.Records.Count == 0 => "no such record (NODATA)",
        _ => string.Join(" + ", answer.Answer.Records.Select(r => $"{r.Type} {r.Data}").Order(StringComparer.OrdinalIgnoreCase)),
    };
}
