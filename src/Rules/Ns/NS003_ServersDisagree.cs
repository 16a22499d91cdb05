using RulesApi.Dns.Names;
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
        // The apex questions and the per-name questions go to every server at once (each question once).
        var questions = new List<(DnsName Name, RecordType Type)>(zone.Questions.Count);
        for (var i = 0; i < zone.Questions.Count; i++)
        {
            var (name, type, _) = zone.Questions[i];
            if (!questions.Contains((name, type)))
            {
                questions.Add((name, type));
            }
        }

        var asked = new Task<IReadOnlyList<ServerAnswer>>[questions.Count];
        for (var i = 0; i < asked.Length; i++)
        {
            asked[i] = zone.AskEach(context, view, questions[i].Name, questions[i].Type, cancellationToken);
        }

        var answering = ZoneServerFacts.Answering(await zone.Reports(context, view, cancellationToken).ConfigureAwait(false));
        // Made at the first disagreement: the servers usually agree.
        List<string>? differences = null;
        List<string>? evidence = null;
        if (SerialsDiffer(answering))
        {
            (differences, evidence) = ([], []);
            var serials = answering.Where(s => s.Serial is not null).ToList();
            differences.Add($"the SOA serial differs ({string.Join(", ", serials.Select(s => $"{s.Serial} at {s.Server}"))})");
            evidence.AddRange(serials.Select(s => $"{s.Server}: {s.Soa.Answer.Matching[0].ToZoneLine()}"));
        }

        for (var i = 0; i < asked.Length; i++)
        {
            var (name, type) = questions[i];
            var all = await asked[i].ConfigureAwait(false);
            if (Agree(all))
            {
                // Every server gave the same records: nothing to write out and compare.
                continue;
            }

            Compare(name, type, all, differences ??= [], evidence ??= []);
        }

        if (differences is not { Count: > 0 })
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

    /// <remarks>Apart from <see cref="Check"/>: its lambdas use the question, and made a closure for every question, agreed on or not.</remarks>
    private static void Compare(DnsName name, RecordType type, IReadOnlyList<ServerAnswer> all, List<string> differences, List<string> evidence)
    {
        var answers = all.Where(a => Compared(a.Answer.Status)).ToList();
        var groups = answers.GroupBy(Content).ToList();
        if (groups.Count > 1)
        {
            differences.Add($"the {type} answer for {Show(name)} differs: {string.Join("; ", groups.Select(g => $"{g.Key} at {string.Join(", ", g.Select(a => a.Server))}"))}");
            evidence.AddRange(answers.Select(a => $"{a.Server}: {name.Text} {type} → {Content(a)}"));
        }
    }

    /// <summary>The answers a server may disagree with another by: an answer, no such record, no such name (not a failure).</summary>
    private static bool Compared(AnswerStatus status) => status is AnswerStatus.Answer or AnswerStatus.NoData or AnswerStatus.NameError;

    /// <summary>True when every server that answered gave the same kind of answer with the same records (the usual case, found without text).</summary>
    private static bool Agree(IReadOnlyList<ServerAnswer> all)
    {
        DnsAnswer? first = null;
        foreach (var answer in all)
        {
            if (!Compared(answer.Answer.Status))
            {
                continue;
            }

            first ??= answer.Answer;
            if (answer.Answer.Status != first.Status || !SameRecords.Of(answer.Answer.Records, first.Records))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SerialsDiffer(IReadOnlyList<ServerReport> answering)
    {
        uint? first = null;
        foreach (var report in answering)
        {
            if (report.Serial is { } serial && (first ??= serial) != serial)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What one server said, in a form two answers can be compared by.</summary>
    private static string Content(ServerAnswer answer) => answer.Answer.Status switch
    {
        AnswerStatus.NameError => "no such name (NXDOMAIN)",
        AnswerStatus.NoData when answer.Answer.Records.Count == 0 => "no such record (NODATA)",
        _ => string.Join(" + ", answer.Answer.Records.Select(r => $"{r.Type} {r.Data}").Order(StringComparer.OrdinalIgnoreCase)),
    };
}
