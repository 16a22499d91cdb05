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

    protected override string Title => "A closer CAA set overrides records that allow the CA higher up";

    protected override Severity DefaultSeverity => Severity.Notice;

    protected override string Summary =>
        "Only the first CAA set found climbing from the name counts; a child's set replaces its parent's entirely. Records that allow Amazon at the apex have no effect on a name whose own subdomain has a CAA set.";

    private static readonly RuleMessage Overridden = new("overridden", Severity.Notice,
        "The CAA records at {above} allow {ca}, but they do not count for {name}: the CAA set at {holder} is found first " +
        "and replaces them entirely. Either add 'issue \"{issuer}\"' to the set at {holder}, or remove that set so the one at {above} applies.");

    protected override IReadOnlyList<RuleMessage> Messages => [Overridden];

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

        var arguments = new { above = Show(SetHolder(above)), name = Show(set.Requested), holder = Show(SetHolder(set)), ca = Ca(context), issuer = context.Subject.CaIssuer };
        return [Report(set.Requested, Overridden, arguments, Evidence(set.Records.Concat(above.Records)), location: set.Records[0].Location)];
    }
}
