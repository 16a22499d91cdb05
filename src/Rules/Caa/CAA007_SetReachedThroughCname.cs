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

    private const string Follows = "The CAA lookup at {owner} follows the CNAME to {holder}, and the CAA records there decide for {name}. ";

    private const string InZone =
        " The target is in this zone, so the records to change are at {holder}; none can be added at {owner} itself, because a CNAME stands alone.";

    private const string Elsewhere =
        " Whoever runs the zone of {holder} can change them at any time; records you add at your own apex do not override them.";

    private static readonly RuleMessage InZoneAllows = new("in-zone-allows", Severity.Notice, Follows + "They allow {ca}." + InZone);

    private static readonly RuleMessage InZoneForbids = new("in-zone-forbids", Severity.Notice, Follows + "They do not allow {ca}." + InZone);

    /// <summary>The target is outside the zone given (or no zone was given): someone else may control the records that decide.</summary>
    private static readonly RuleMessage ElsewhereAllows = new("elsewhere-allows", Severity.Notice, Follows + "They allow {ca}." + Elsewhere);

    private static readonly RuleMessage ElsewhereForbids = new("elsewhere-forbids", Severity.Notice, Follows + "They do not allow {ca}." + Elsewhere);

    protected override IReadOnlyList<RuleMessage> Messages => [InZoneAllows, InZoneForbids, ElsewhereAllows, ElsewhereForbids];

    protected override IReadOnlyList<string> References => [Rfc8659Relevant];

    protected override ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision, CancellationToken cancellationToken)
    {
        if (set.Status != CaaSetStatus.Found || set.CnameChain.Count == 0)
        {
            return ValueTask.FromResult(Enumerable.Empty<Finding>());
        }

        var holder = SetHolder(set);
        var apex = ZoneApex(context);
        var message = apex is not null && holder.IsSubdomainOf(apex)
            ? (decision.Permits ? InZoneAllows : InZoneForbids)
            : (decision.Permits ? ElsewhereAllows : ElsewhereForbids);
        var arguments = new { owner = Show(set.Owner!), holder = Show(holder), name = Show(set.Requested), ca = Ca(context) };
        var finding = Report(set.Requested, message, arguments, Evidence(set.CnameChain.Concat(set.Records)), location: set.CnameChain[0].Location);
        return ValueTask.FromResult<IEnumerable<Finding>>([finding]);
    }
}
