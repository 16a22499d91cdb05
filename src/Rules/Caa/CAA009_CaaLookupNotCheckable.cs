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

    protected override IReadOnlyList<RuleMessage> Messages => [LookupFailed];

    protected override IReadOnlyList<string> References => [Rfc8659Relevant, "https://cabforum.org/working-groups/server/baseline-requirements/requirements/#3228-caa-records"];

    protected override ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision, CancellationToken cancellationToken)
    {
        if (set.Status != CaaSetStatus.NotCheckable)
        {
            return ValueTask.FromResult(Enumerable.Empty<Finding>());
        }

        var arguments = new { name = Show(set.Requested), stoppedAt = set.CheckedUpTo is { } upTo ? Show(upTo) : "?", detail = set.Detail };
        var finding = Report(set.Requested, LookupFailed, arguments, Evidence(set.CnameChain), location: set.CnameChain.FirstOrDefault()?.Location, inconclusive: true);
        return ValueTask.FromResult<IEnumerable<Finding>>([finding]);
    }
}
