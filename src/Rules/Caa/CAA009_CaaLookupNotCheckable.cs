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
    /// (deadline, query budget, caps) stopped the lookup. The check is unfinished, not failed.
    /// </summary>
    private static readonly RuleMessage NotDone = new("not-done", Severity.Warning,
        "The CAA check for {name} could not be done (it stopped at {stoppedAt}): {detail}. This says nothing against the zone — no server refused or answered wrongly; " +
        "the servers asked did not answer in time, or this diagnosis stopped at its own limits. Try again later; if the servers still do not answer, " +
        "a CA will not be able to check either and must refuse.");

    protected override IReadOnlyList<RuleMessage> Messages => [LookupFailed, NotDone];

    protected override IReadOnlyList<string> References => [Rfc8659Relevant, "https://cabforum.org/working-groups/server/baseline-requirements/requirements/#3228-caa-records"];

    protected override ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision, CancellationToken cancellationToken)
    {
        if (set.Status != CaaSetStatus.NotCheckable)
        {
            return ValueTask.FromResult(Enumerable.Empty<Finding>());
        }

        var arguments = new { name = Show(set.Requested), stoppedAt = set.CheckedUpTo is { } upTo ? Show(upTo) : "?", detail = set.Detail };
        var finding = Report(set.Requested, Unanswered(set.Detail) ? NotDone : LookupFailed, arguments, Evidence(set.CnameChain), location: set.CnameChain.FirstOrDefault()?.Location, inconclusive: true);
        return ValueTask.FromResult<IEnumerable<Finding>>([finding]);
    }

    /// <summary>True when every reason given is silence or one of this service's own limits, never an answer from a server.</summary>
    private static bool Unanswered(string? detail)
    {
        if (detail is null)
        {
            return false;
        }

        var reasons = (detail.Contains("stopped: ", StringComparison.Ordinal) ? detail[(detail.IndexOf("stopped: ", StringComparison.Ordinal) + 9)..] : detail)
            .Split("; ", StringSplitOptions.RemoveEmptyEntries);
        return reasons.All(reason => reason.EndsWith(" did not answer", StringComparison.Ordinal)
            || reason.Contains("(Dns:", StringComparison.Ordinal)
            || reason.Contains("deadline", StringComparison.OrdinalIgnoreCase));
    }
}
