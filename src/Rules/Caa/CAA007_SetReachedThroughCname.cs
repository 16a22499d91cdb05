using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Caa;

/// <summary>The relevant set was found by following a CNAME: another zone's owner decides which CAs may issue.</summary>
public sealed class CAA007_SetReachedThroughCname : CaaRule
{
    protected override string Id => "CAA007";

    protected override string Title => "The deciding CAA records are reached through a CNAME";

    protected override Severity DefaultSeverity => Severity.Notice;

    protected override string Summary =>
        "CAA lookups follow CNAMEs. When a name is a CNAME to, say, a CDN or PaaS host, the CAA records at that target decide for the name, and whoever runs the target's zone controls them.";

    protected override IReadOnlyList<string> References => [Rfc8659Relevant];

    protected override ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision, CancellationToken cancellationToken)
    {
        if (set.Status != CaaSetStatus.Found || set.CnameChain.Count == 0)
        {
            return ValueTask.FromResult(Enumerable.Empty<Finding>());
        }

        var holder = SetHolder(set);
        var apex = ZoneApex(context);
        var control = apex is not null && holder.IsSubdomainOf(apex)
            ? $"The target is in this zone, so the records to change are at {Show(holder)}; none can be added at {Show(set.Owner!)} itself, because a CNAME stands alone."
            : $"Whoever runs the zone of {Show(holder)} can change them at any time; records you add at your own apex do not override them.";
        var message =
            $"The CAA lookup at {Show(set.Owner!)} follows the CNAME to {Show(holder)}, and the CAA records there decide for {Show(set.Requested)}. " +
            $"They {(decision.Permits ? "allow" : "do not allow")} Amazon. {control}";
        var finding = Report(set.Requested, message, Evidence(set.CnameChain.Concat(set.Records)), location: set.CnameChain[0].Location);
        return ValueTask.FromResult<IEnumerable<Finding>>([finding]);
    }
}
