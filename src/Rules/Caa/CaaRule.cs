using RulesApi.Dns.Names;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Caa;

/// <summary>The CAA family: each rule looks at the relevant CAA set of every requested name.</summary>
public abstract class CaaRule : Rule
{
    protected const string Rfc8659Relevant = "https://www.rfc-editor.org/rfc/rfc8659#section-3";
    protected const string Rfc8659Issue = "https://www.rfc-editor.org/rfc/rfc8659#section-4.2";
    protected const string Rfc8659Properties = "https://www.rfc-editor.org/rfc/rfc8659#section-4.1";
    protected const string AcmCaa = "https://docs.aws.amazon.com/acm/latest/userguide/setup-caa.html";

    protected override string Family => "CAA";

    /// <summary>A check that found nothing (made once: most checks of most names find nothing).</summary>
    protected static readonly ValueTask<IEnumerable<Finding>> NoFindings = ValueTask.FromResult<IEnumerable<Finding>>([]);

    public override bool AppliesTo(DiagnosisContext context) => context.Subject.Names.Count > 0;

    public override async ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken)
    {
        // By index, and the list made at the first finding: every CAA rule runs this for every diagnosis, and most find
        // nothing (an enumerator boxed and an empty list per rule were 1.5 KB of a fixture diagnosis's 34).
        List<Finding>? findings = null;
        var facts = await context.Memo(default(CaaFactsKey), (context, cancellationToken), static s => Facts(s.context, s.cancellationToken)).ConfigureAwait(false);
        for (var i = 0; i < facts.Count; i++)
        {
            // An audit's names are every CAA owner, and nothing here waits: looked at per name, the token is the only
            // thing that stops a rule past the deadline (it would keep a core busy otherwise).
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var finding in await Check(context, facts[i].Set, facts[i].Decision, cancellationToken).ConfigureAwait(false))
            {
                (findings ??= []).Add(finding);
            }
        }

        return findings ?? (IReadOnlyList<Finding>)[];
    }

    /// <summary>
    /// Every name's relevant set and the CA's decision on it, in the subject's order. Every CAA rule reads the
    /// same ones: they are made once per diagnosis, not once per rule and name (an audit of 10k CAA sets looked
    /// each name up twice per rule).
    /// </summary>
    private static async Task<IReadOnlyList<(RelevantCaaSet Set, CaaDecision Decision)>> Facts(DiagnosisContext context, CancellationToken cancellationToken)
    {
        var names = context.Subject.Names;
        if (context.View.AnswersFromMemory && names.Count >= NamesClimbedInParallel)
        {
            // Thousands of names answered from memory (an audit's CAA owners): climbed on every core, each into its
            // own place, so the list keeps the subject's order. Each climb completes at once: nothing is waited for.
            var climbed = new (RelevantCaaSet, CaaDecision)[names.Count];
            try
            {
                Parallel.For(0, names.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                {
                    // Not through the memo: these sets are kept in the list, which is the memo's entry for them all.
                    var set = RelevantCaaSet.Find(context, names[i], cancellationToken).GetAwaiter().GetResult();
                    climbed[i] = (set, CaaDecision.Evaluate(set, context.Subject));
                });
            }
            catch (AggregateException failed) when (failed.InnerExceptions.Count == 1)
            {
                // The rule fails with what failed, as it does when the names are climbed one after another.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed.InnerExceptions[0]);
            }

            return climbed;
        }

        var facts = new List<(RelevantCaaSet, CaaDecision)>(names.Count);
        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var set = await RelevantCaaSet.For(context, name, cancellationToken).ConfigureAwait(false);
            facts.Add((set, CaaDecision.Evaluate(set, context.Subject)));
        }

        return facts;
    }

    /// <summary>Names from which the CAA facts of a view that answers from memory are made on every core.</summary>
    private const int NamesClimbedInParallel = 1024;

    /// <remarks>
    /// Runs for every name of every diagnosis, and most checks find nothing: a rule tests first and builds its findings in a
    /// method of its own, whose lambdas capture the parameters (a closure for them, made where the method begins, would
    /// otherwise be made at every check).
    /// </remarks>
    protected abstract ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision, CancellationToken cancellationToken);

    protected static DnsName? ZoneApex(DiagnosisContext context) => context.Zone?.Data.Apex;

    /// <summary>Where the set lives: the CNAME target when the climb went through one, else the climb's name.</summary>
    protected static DnsName SetHolder(RelevantCaaSet set) => set.Records.Count > 0 ? set.Records[0].Owner : set.Owner ?? set.LookupName;

    protected static string Via(RelevantCaaSet set) => set.CnameChain.Count == 0
        ? ""
        : $" (reached through the CNAME {string.Join(" → ", set.CnameChain.Select(c => Show(c.Owner)).Append(Show(SetHolder(set))))})";

    /// <summary>The CA's identities as messages list them, joined once per list: an audit's findings each name them.</summary>
    protected static string CaIdentities(DiagnosisContext context) =>
        JoinedIdentities.GetValue(context.Subject.CaIdentities, static identities => string.Join(", ", identities));

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyList<string>, string> JoinedIdentities = [];

    /// <summary>The CA's name, as messages say it.</summary>
    protected static string Ca(DiagnosisContext context) => context.Subject.CaName;

    /// <summary>The CA's issue value as a record writes it: <c>0 {tag} "amazon.com"</c>.</summary>
    protected static string IssueValue(DiagnosisContext context, string tag = "issue") =>
        tag == "issue" ? IssueValues.GetValue(context.Subject.CaIssuer, static issuer => $"0 issue \"{issuer}\"") : $"0 {tag} \"{context.Subject.CaIssuer}\"";

    /// <summary>The CA's 'issue' value per issuer text, made once: an audit's findings each propose it.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<string, string> IssueValues = [];

    protected static string Describe(IssuerValue value, string tag) =>
        value.IsValid ? (value.Issuer is null ? $"{tag} \";\" (no CA at all)" : $"{tag} \"{value.Issuer}\"") : $"{tag} \"{value.Raw}\" (malformed, counts as no CA)";
}

/// <summary>The memo key of the subject's CAA sets and decisions within one diagnosis (there is one subject).</summary>
internal readonly record struct CaaFactsKey;
