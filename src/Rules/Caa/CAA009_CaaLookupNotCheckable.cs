using RulesApi.Dns.Views;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Caa;

/// <summary>A lookup on the CAA climb failed or could not be made from the data at hand.</summary>
public sealed class CAA009_CaaLookupNotCheckable : CaaRule
{
    protected override string Id => "CAA009";

    protected override string Title => "The CAA lookup could not be completed";

    protected override Severity DefaultSeverity => Severity.Warning;

    protected override string Summary =>
        "A CA must be able to complete every CAA lookup on the climb from the name to the root; when one fails (or, offline, when the answer lives in another zone), the CA must refuse, and this diagnosis cannot say what the CA will see.";

    private static readonly RuleMessage LookupFailed = new("lookup-failed", Severity.Warning,
        "The CAA lookup for {name} stopped at {stoppedAt}: {detail}. " +
        "A CA that cannot complete the lookup must refuse to issue; check the CAA records of that name where it is served " +
        "(for a CNAME target, in the target's zone).");

    /// <summary>
    /// Nothing was said against the zone: every server asked stayed silent, or this diagnosis's own limits
    /// (its query budget, its caps) stopped the lookup. The check is unfinished, not failed.
    /// </summary>
    private static readonly RuleMessage NotDone = new("not-done", Severity.Warning,
        "The CAA check for {name} could not be done (it stopped at {stoppedAt}): {detail}. This says nothing against the zone — no server refused or answered wrongly; " +
        "{why} Try again later; if the servers still do not answer, a CA will not be able to check either and must refuse.");

    /// <summary>
    /// The servers this service is configured to start from (its root servers) or to ask (its resolvers)
    /// did not answer: the service could not reach DNS at all, and nothing is known about the zone.
    /// </summary>
    private static readonly RuleMessage OwnServersSilent = new("own-servers-silent", Severity.Warning,
        "The CAA check for {name} could not be done: this service's own DNS servers did not answer ({detail}). " +
        "That is this service's network or configuration (Dns:RootServers, Dns:Resolvers), not the zone: nothing is known about {name} yet. " +
        "Try again once the service can reach DNS, or diagnose the zone text instead.");

    protected override IReadOnlyList<RuleMessage> Messages => [LookupFailed, NotDone, OwnServersSilent];

    protected override IReadOnlyList<string> References => [Rfc8659Relevant, "https://cabforum.org/working-groups/server/baseline-requirements/requirements/#3228-caa-records"];

    protected override ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision, CancellationToken cancellationToken)
    {
        if (set.Status != CaaSetStatus.NotCheckable)
        {
            return ValueTask.FromResult(Enumerable.Empty<Finding>());
        }

        // Whom the failure blames is the view's classification of it (which servers failed, and how), never the wording of its detail.
        var kind = set.LookupFailed ? set.FailedBecause : FailureKind.Unclassified;
        var message = kind switch
        {
            FailureKind.OwnServersSilent => OwnServersSilent,
            FailureKind.ServersSilent => NotDone,
            FailureKind.LimitReached => NotDone,
            _ => LookupFailed,
        };
        var why = kind == FailureKind.LimitReached
            ? "this diagnosis stopped at its own limits before a server had its say."
            : "the servers asked did not answer in time.";
        var stoppedAt = set.CheckedUpTo is { } upTo ? Show(upTo) : "?";
        object arguments = message == NotDone ? new { name = Show(set.Requested), stoppedAt, detail = set.Detail, why }
            : message == OwnServersSilent ? new { name = Show(set.Requested), detail = set.Detail }
            : new { name = Show(set.Requested), stoppedAt, detail = set.Detail };
        var finding = Report(set.Requested, message, arguments, Evidence(set.CnameChain), location: set.CnameChain.FirstOrDefault()?.Location, inconclusive: true);
        return ValueTask.FromResult<IEnumerable<Finding>>([finding]);
    }
}
