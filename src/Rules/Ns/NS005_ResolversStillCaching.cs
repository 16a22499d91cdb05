using RulesApi.Dns.Views;
using RulesApi.Rules.Contract;
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
        var questions = zone.Questions(context).Select(q => (q.Name, q.Type, q.Domains,
            Published: zone.AskEach(context, view, q.Name, q.Type, cancellationToken),
            Seen: Task.WhenAll(view.Resolvers.Select(resolver => view.AskResolverAsync(resolver, q.Name, q.Type, cancellationToken).AsTask())))).ToList();
        var findings = new List<Finding>();
        var now = context.Clock.GetUtcNow();
        foreach (var (name, type, domains, publishedTask, seenTask) in questions)
        {
            var published = await publishedTask.ConfigureAwait(false);
            // Only a record every answering server agrees on counts as published; disagreement is NS003's.
            var answering = published.Where(a => a.Answer.Status != AnswerStatus.Failure).ToList();
            if (answering.Count == 0 || answering.Any(a => a.Answer.Status != AnswerStatus.Answer)
                || (!answering.All(a => SameRecords.Of(a.Answer.Matching, answering[0].Answer.Matching))
                    && answering.Select(a => Content(a.Answer)).Distinct().Count() > 1))
            {
                continue;
            }

            var first = answering[0].Answer;
            foreach (var (resolver, seen) in view.Resolvers.Zip(await seenTask.ConfigureAwait(false)))
            {
                if (!seen.Answer.Succeeded || SameRecords.Of(seen.Answer.Matching, first.Matching) || Content(seen.Answer) == Content(first)
                    || seen.CacheTtl is not { } remaining)
                {
                    continue;
                }

                var expected = Content(first);

                var until = now.AddSeconds(remaining);
                var old = seen.Answer.Status switch
                {
                    AnswerStatus.NameError => "\"no such name\" (NXDOMAIN)",
                    AnswerStatus.NoData => "\"no such record\"",
                    _ => $"the older {Content(seen.Answer)}",
                };
                var arguments = new
                {
                    type = $"{type}",
                    name = Show(name),
                    servers = string.Join(", ", answering.Select(a => a.Server)),
                    resolver = $"{resolver.Address}",
                    old,
                    remaining = FixVisibility.Duration(remaining),
                    until = $"{until.UtcDateTime:yyyy-MM-dd HH:mm}",
                };
                var evidence = new List<string> { $"authoritative: {expected}", $"resolver {resolver.Address}: {old}, {remaining} s left in its cache" };
                findings.AddRange(domains.Select(domain => Report(domain, StillCached, arguments, evidence)));
            }
        }

        return findings;
    }

    private static string Content(DnsAnswer answer) =>
        string.Join(" + ", answer.Matching.Select(r => $"{r.Type} {r.Data}").Order(StringComparer.OrdinalIgnoreCase));
}
