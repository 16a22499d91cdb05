using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Caa;

/// <summary>
/// The name's own (or a closer ancestor's) CAA set forbids Amazon while a set higher up allows it:
/// the classic "I added amazon.com at the apex and it still fails" case.
/// </summary>
public sealed class CAA008_SubdomainSetOverridesParent : CaaRule
{
    protected override string Id => "CAA008";

    protected override string Title => "A closer CAA set overrides records that allow Amazon higher up";

    protected override Severity DefaultSeverity => Severity.Notice;

    protected override string Summary =>
        "Only the first CAA set found climbing from the name counts; a child's set replaces its parent's entirely. Records that allow Amazon at the apex have no effect on a name whose own subdomain has a CAA set.";

    protected override IReadOnlyList<string> References => [Rfc8659Relevant];

    protected override async ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision, CancellationToken cancellationToken)
    {
        if (set.Status != CaaSetStatus.Found || decision.Permits || set.Owner is null || set.Owner.Parent.IsRoot)
        {
            return [];
        }

        var above = await RelevantCaaSet.For(context, set.Owner.Parent, cancellationToken).ConfigureAwait(false);
        if (above.Status != CaaSetStatus.Found || !CaaDecision.Evaluate(above, context.Subject).Permits)
        {
            return [];
        }

        var holder = SetHolder(set);
        var message =
            $"The CAA records at {Show(SetHolder(above))} allow Amazon, but they do not count for {Show(set.Requested)}: the CAA set at {Show(holder)} is found first " +
            $"and replaces them entirely. Either add 'issue \"amazon.com\"' to the set at {Show(holder)}, or remove that set so the one at {Show(SetHolder(above))} applies.";
        return [Report(set.Requested, message, Evidence(set.Records.Concat(above.Records)), location: set.Records[0].Location)];
    }
}
