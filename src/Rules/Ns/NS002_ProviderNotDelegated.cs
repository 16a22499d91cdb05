using RulesApi.Dns.Views;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Ns;

/// <summary>The request says the records are edited at one provider; the domain is delegated to another.</summary>
public sealed class NS002_ProviderNotDelegated : NsRule
{
    protected override string Id => "NS002";

    protected override string Title => "Records are edited at a provider the domain is not delegated to";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "The request names the DNS provider where the records are being edited, but none of the name servers the domain is delegated to belongs to that provider. ACM, like every resolver, asks the delegated servers; records added elsewhere are never seen.";

    private static readonly RuleMessage NotDelegated = new("not-delegated", Severity.Error,
        "The records are being edited at {provider}, but {zone} is delegated to {delegation}. " +
        "ACM and every resolver ask those servers, so records added at {provider} are not seen.");

    protected override IReadOnlyList<RuleMessage> Messages => [NotDelegated];

    protected override IReadOnlyList<string> References => [Rfc1034Delegation, "https://docs.aws.amazon.com/acm/latest/userguide/troubleshooting-DNS-validation.html"];

    public override bool AppliesTo(DiagnosisContext context) => base.AppliesTo(context) && context.Subject.Provider != DnsProvider.Generic;

    protected override ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, IServerView view, ZoneServerFacts zone, CancellationToken cancellationToken)
    {
        var provider = context.Subject.Provider;
        var delegation = zone.Zone.Delegation;
        if (delegation.Count == 0 || delegation.Any(ns => NameServerProviders.Recognise(ns) == provider))
        {
            return ValueTask.FromResult(Enumerable.Empty<Finding>());
        }

        var name = NameServerProviders.DisplayName(provider);
        var arguments = new { provider = name, zone = Show(zone.Zone.Apex), delegation = NameServerProviders.Describe(delegation) };
        var remediation = new Remediation(
            $"Either add the records at the provider {Show(zone.Zone.Apex)} is delegated to, or, to move the domain to {name}, set the name servers at the registrar to the ones {name} assigned to it " +
            "(the change takes up to the TLD's NS TTL, often 48 h).", []);
        var evidence = delegation.Select(ns => $"{zone.Zone.Apex.Text} NS {ns.Text}    ; delegation at the parent").ToList();
        return ValueTask.FromResult(ForEachName(zone, Report(zone.Zone.Apex, NotDelegated, arguments, evidence, remediation)));
    }
}
