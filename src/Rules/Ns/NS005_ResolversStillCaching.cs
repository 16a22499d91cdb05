using RulesApi.Dns.Views;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Ns;

/// <summary>Every authoritative server has the record, but a recursive resolver still gives its cached, older answer.</summary>
public sealed class NS005_ResolversStillCaching : NsRule
{
    protected override string Id => "NS005";

    protected override string Title => "Published, but resolvers still hold an older answer";

    protected override Severity DefaultSeverity => Severity.Warning;

    protected override string Summary =>
        "The record is on every authoritative server, but a recursive resolver still answers from its cache what it learned before — usually \"no such name\", kept for the zone's negative-caching TTL (RFC 2308). ACM's resolvers may hold the same answer; the finding says until when at the latest. Nothing needs changing.";

    private static readonly RuleMessage StillCached = new("still-cached", Severity.Warning,
        "The {type} record at {name} is on every authoritative server ({servers}), " +
        "but the resolver {resolver} still answers {old}: it cached that answer before the change and may keep it for another {remaining}, " +
        "until {until} UTC at the latest. ACM's resolvers may hold the same answer, so validation can lag until then; nothing needs changing.");

    protected override IReadOnlyList<RuleMessage> Messages => [StillCached];

    protected override IReadOnlyList<string> References => ["https://www.rfc-editor.org/rfc/rfc2308#section-5", "https://www.rfc-editor.org/rfc/rfc1035#section-7.4"];

    public override bool AppliesTo(DiagnosisContext context) => base.AppliesTo(context) && ((Dns.Views.IServerView)context.View).Resolvers.Count > 0;

    protected override async ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, IServerView view, ZoneServerFacts zone, CancellationToken cancellationToken)
    {
        // The authoritative servers and the resolvers are asked everything at once.
        var questions = zone.Questions;
        var resolvers = view.Resolvers;
        var published = new Task<IReadOnlyList<ServerAnswer>>[questions.Count];
        var seen = new ValueTask<ServerAnswer[]>[questions.Count];
        for (var i = 0; i < questions.Count; i++)
        {
            var (name, type, _) = questions[i];
            published[i] = zone.AskEach(context, view, name, type, cancellationToken);
            seen[i] = AtOnce.Ask(resolvers, (view, name, type, cancellationToken), static (resolver, s) => s.view.AskResolverAsync(resolver, s.name, s.type, s.cancellationToken));
        }

        List<Finding>? findings = null; // made at the first finding: resolvers usually have the records the servers publish
        var now = context.Clock.GetUtcNow();
        for (var i = 0; i < questions.Count; i++)
        {
            var (name, type, domains) = questions[i];
            // Only a record every answering server agrees on counts as published; disagreement is NS003's.
            var fromServers = await published[i].ConfigureAwait(false);
            if (Published(fromServers) is not { } first)
            {
                continue;
            }

            var answers = await seen[i].ConfigureAwait(false);
            for (var r = 0; r < resolvers.Count; r++)
            {
                var (resolver, seenThere) = (resolvers[r], answers[r]);
                if (!seenThere.Answer.Succeeded || SameRecords.Of(seenThere.Answer.Matching, first.Matching) || Content(seenThere.Answer) == Content(first)
                    || seenThere.CacheTtl is not { } remaining)
                {
                    continue;
                }

                var expected = Content(first);

                var until = now.AddSeconds(remaining);
                var old = seenThere.Answer.Status switch
                {
                    AnswerStatus.NameError => "\"no such name\" (NXDOMAIN)",
                    AnswerStatus.NoData => "\"no such record\"",
                    _ => $"the older {Content(seenThere.Answer)}",
                };
                var arguments = new
                {
                    type = $"{type}",
                    name = Show(name),
                    servers = string.Join(", ", fromServers.Where(a => a.Answer.Status != AnswerStatus.Failure).Select(a => a.Server)),
                    resolver = $"{resolver.Address}",
                    old,
                    remaining = FixVisibility.Duration(remaining),
                    until = $"{until.UtcDateTime:yyyy-MM-dd HH:mm}",
                };
                var evidence = new List<string> { $"authoritative: {expected}", $"resolver {resolver.Address}: {old}, {remaining} s left in its cache" };
                (findings ??= []).AddRange(domains.Select(domain => Report(domain, StillCached, arguments, evidence)));
            }
        }

        return findings ?? [];
    }

    /// <summary>
    /// What the zone's servers publish for a question, when every server that answered gave it and it is an answer (not
    /// "no such record"); null otherwise. Servers that failed are left out; servers that disagree are NS003's finding.
    /// </summary>
    private static DnsAnswer? Published(IReadOnlyList<ServerAnswer> fromServers)
    {
        DnsAnswer? first = null;
        var sameRecords = true;
        foreach (var answer in fromServers)
        {
            if (answer.Answer.Status == AnswerStatus.Failure)
            {
                continue;
            }

            if (answer.Answer.Status != AnswerStatus.Answer)
            {
                return null;
            }

            first ??= answer.Answer;
            sameRecords &= SameRecords.Of(answer.Answer.Matching, first.Matching);
        }

        // Records that are not the same objects or values may still read the same (a TXT record's strings): compare the text.
        return first is null || sameRecords
            || fromServers.Where(a => a.Answer.Status != AnswerStatus.Failure).Select(a => Content(a.Answer)).Distinct().Count() == 1
            ? first
            : null;
    }

    private static string Content(DnsAnswer answer) =>
        string.Join(" + ", answer.Matching.Select(r => $"{r.Type} {r.Data}").Order(StringComparer.OrdinalIgnoreCase));
}
