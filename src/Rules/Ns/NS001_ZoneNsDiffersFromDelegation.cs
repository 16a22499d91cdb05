using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Ns;

/// <summary>The parent delegates the zone to one set of servers; the zone names another as its own.</summary>
public sealed class NS001_ZoneNsDiffersFromDelegation : NsRule
{
    protected override string Id => "NS001";

    protected override string Title => "The zone's own NS records differ from the parent's delegation";

    protected override Severity DefaultSeverity => Severity.Warning;

    protected override string Summary =>
        "The NS records at the TLD (set at the registrar) decide which servers the world asks; the NS records inside the zone should list the same servers. When they share no server at all, the name servers were usually changed in the zone's record editor instead of at the registrar: records added at the new provider are never seen.";

    private const string Lists = "The parent zone delegates {zone} to {delegation}, but the zone served there lists {own} as its name servers. ";

    /// <summary>The two lists share no server: the usual sign of name servers changed in the zone editor instead of at the registrar.</summary>
    private static readonly RuleMessage Disjoint = new("disjoint", Severity.Error, Lists +
        "The two lists share no server: the world asks the servers the registrar set, and resolvers that believe the zone's own list go elsewhere, so answers depend on the resolver. " +
        "Usually the name servers were changed in the zone's record editor instead of at the registrar, and records added at the new provider are not what ACM sees.");

    private static readonly RuleMessage Overlapping = new("overlapping", Severity.Warning, Lists +
        "Servers missing from one of the lists are asked less or not at all, and one that was removed may still be asked.");

    protected override IReadOnlyList<RuleMessage> Messages => [Disjoint, Overlapping];

    protected override IReadOnlyList<string> References => [Rfc1034Delegation, Rfc2181Ns];

    protected override async ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, IServerView view, ZoneServerFacts zone, CancellationToken cancellationToken)
    {
        var reports = await zone.Reports(context, view, cancellationToken).ConfigureAwait(false);
        var answered = ZoneServerFacts.Answering(reports).FirstOrDefault(s => s.Ns.Answer.Status == AnswerStatus.Answer);
        return answered is null || zone.Zone.Delegation.Count == 0 || SameServers(answered.Ns.Answer.Matching, zone.Zone.Delegation)
            ? []
            : Differ(zone, answered);
    }

    /// <remarks>Apart from <see cref="Check"/>: its lambdas use the apex and the lists, and made a closure at every check, finding or not.</remarks>
    private IEnumerable<Finding> Differ(ZoneServerFacts zone, ServerReport answered)
    {
        var apex = zone.Zone.Apex;
        var delegation = zone.Zone.Delegation.OrderBy(n => n.Text, StringComparer.OrdinalIgnoreCase).ToList();

        var own = answered.NsSet;
        var disjoint = !own.Intersect(delegation).Any();
        var arguments = new { zone = Show(apex), delegation = NameServerProviders.Describe(delegation), own = NameServerProviders.Describe(own) };
        var evidence = delegation.Select(ns => $"{apex.Text} NS {ns.Text}    ; delegation at the parent")
            .Concat(answered.Ns.Answer.Matching.Select(r => $"{r.ToZoneLine()}    ; from {answered.Server}")).ToList();
        var records = answered.Ns.Answer.Matching.Where(r => !delegation.Contains(((NameData)r.Data).Target)).Select(r => RemediationRecords.Remove(r, apex))
            .Concat(delegation.Where(ns => !own.Contains(ns)).Select(ns => RemediationRecords.Make(RecordAction.Add, apex, RecordType.NS, ns.Text, apex,
                answered.Ns.Answer.Matching.FirstOrDefault()?.Ttl ?? RemediationRecords.SuggestedTtl)))
            .ToList();
        var remediation = new Remediation(
            $"Make the lists the same. If {Show(apex)} is moving to {NameServerProviders.Describe(own)}, change the name servers at the registrar to those; " +
            "otherwise correct the zone's NS records as listed here.", records);
        var finding = Report(apex, disjoint ? Disjoint : Overlapping, arguments, evidence, remediation);
        return ForEachName(zone, finding);
    }

    /// <summary>
    /// True when the zone's NS records name the same servers as the delegation, each as many times: what comparing the two
    /// lists sorted by name tells (names equal ignoring case sort together), found without sorting two lists and a set of
    /// iterators per NS rule in every diagnosis, where the lists almost always agree.
    /// </summary>
    private static bool SameServers(IReadOnlyList<ResourceRecord> own, IReadOnlyList<DnsName> delegation)
    {
        if (own.Count != delegation.Count)
        {
            return false;
        }

        // By index: a foreach over the interfaces made an enumerator per loop.
        for (var i = 0; i < delegation.Count; i++)
        {
            var inDelegation = 0;
            for (var j = 0; j < delegation.Count; j++)
            {
                inDelegation += delegation[j] == delegation[i] ? 1 : 0;
            }

            var inZone = 0;
            for (var j = 0; j < own.Count; j++)
            {
                inZone += ((NameData)own[j].Data).Target == delegation[i] ? 1 : 0;
            }

            if (inDelegation != inZone)
            {
                return false;
            }
        }

        return true;
    }
}
