using RulesApi.Dns.DnsSec;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Sec;

/// <summary>
/// A resolver answers SERVFAIL for the CAA question, and answers it when asked with checking disabled
/// (CD): the failure is DNSSEC validation, and a validating CA fails the same way.
/// </summary>
public sealed class SEC009_ServfailIsDnssec : SecRule
{
    protected override string Id => "SEC009";

    protected override string Title => "Resolvers fail the CAA lookup because DNSSEC validation fails";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "When a validating resolver answers SERVFAIL but answers the same question with the CD (checking disabled) bit set, the failure is DNSSEC validation. CAs validate: their CAA lookup fails the same way, and a failed CAA lookup on a signed chain means the CA must refuse. The finding names the broken link where it can tell.";

    private const string ValidationFails =
        "The resolver {resolver} answers SERVFAIL for the CAA records of {name}, but answers the same question with checking disabled (CD): " +
        "DNSSEC validation fails. A CA validates too, so its CAA lookup fails and ACM must refuse to issue. ";

    /// <summary>The broken link is one this service checks over DNS (SEC001, SEC002, SEC010), and the message names it.</summary>
    private static readonly RuleMessage BrokenLink = new("broken-link", Severity.Error, ValidationFails + "The broken link: {link}.");

    private static readonly RuleMessage UnknownLink = new("unknown-link", Severity.Error, ValidationFails +
        "The broken link is not one this check can name: look for expired or missing signatures or a broken NSEC/NSEC3 proof (SEC003–SEC007) with a zone audit of the signed zone.");

    /// <summary>
    /// None of the service's own resolvers answered the CAA question: the check could not be made, and that
    /// is the service's network or configuration, not the zone.
    /// </summary>
    private static readonly RuleMessage ResolversSilent = new("resolvers-silent", Severity.Notice,
        "Whether validating resolvers fail the CAA lookup for {name} could not be checked: this service's own resolvers ({resolvers}) did not answer. " +
        "That is this service's network or configuration (Dns:Resolvers), not the zone; nothing is known against it. Try again once the resolvers answer.");

    protected override IReadOnlyList<RuleMessage> Messages => [BrokenLink, UnknownLink, ResolversSilent];

    protected override IReadOnlyList<string> References => ["https://www.rfc-editor.org/rfc/rfc4035#section-3.2.2", CabfCaa, "https://www.rfc-editor.org/rfc/rfc8659#section-3"];

    public override bool AppliesTo(DiagnosisContext context) => context.View is IServerView { Resolvers.Count: > 0 } && context.Subject.Names.Count > 0;

    public override async ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken)
    {
        var view = (IServerView)context.View;
        var zones = await DnssecFacts.For(context, cancellationToken).ConfigureAwait(false);
        // By index, and the lists made when there is something to put in them: resolvers usually answer.
        List<Finding>? findings = null;
        var names = context.Subject.Names;
        var resolvers = view.Resolvers;
        for (var n = 0; n < names.Count; n++)
        {
            var name = names[n];
            var lookup = name.IsWildcard ? name.Parent : name;
            List<string>? silent = null;
            for (var r = 0; r < resolvers.Count; r++)
            {
                var resolver = resolvers[r];
                var plain = await view.AskResolverAsync(resolver, lookup, RecordType.CAA, cancellationToken).ConfigureAwait(false);
                if (plain.Answer.Status != AnswerStatus.Failure)
                {
                    continue;
                }

                if (plain.Answer.FailedBecause == FailureKind.OwnServersSilent)
                {
                    (silent ??= []).Add($"{resolver.Address}: {lookup.Text} CAA → {plain.Answer.Detail}");
                    continue;
                }

                var withoutChecking = await view.AskResolverAsync(resolver, lookup, RecordType.CAA, cancellationToken, checkingDisabled: true).ConfigureAwait(false);
                if (!withoutChecking.Answer.Succeeded)
                {
                    continue; // fails without validation too: not DNSSEC (CAA009 and NS004 tell what it is)
                }

                var zone = zones.Where(z => lookup.IsSubdomainOf(z.Apex)).MaxBy(z => z.Apex.LabelCount);
                var link = zone is null ? null : FindBrokenLink(zone);
                var evidence = new List<string>
                {
                    $"{resolver.Address}: {lookup.Text} CAA → {plain.Answer.Detail}",
                    $"{resolver.Address} with CD: {lookup.Text} CAA → {(withoutChecking.Answer.Status == AnswerStatus.Answer ? string.Join("; ", withoutChecking.Answer.Matching.Select(r => r.ToZoneLine())) : withoutChecking.Answer.Status.ToString())}",
                };
                (findings ??= []).Add(link is null
                    ? Report(name, UnknownLink, new { resolver = $"{resolver.Address}", name = Show(lookup) }, evidence)
                    : Report(name, BrokenLink, new { resolver = $"{resolver.Address}", name = Show(lookup), link }, evidence));
                silent = null;
                break;
            }

            if (silent is not null && silent.Count == resolvers.Count)
            {
                // Every resolver of the service's own stayed silent: the check was not made, and that blames no zone.
                (findings ??= []).Add(Report(name, ResolversSilent, new { name = Show(lookup), resolvers = string.Join(", ", view.Resolvers.Select(r => $"{r}")) }, silent, inconclusive: true));
            }
        }

        return findings ?? (IReadOnlyList<Finding>)[];
    }

    // The links this service checks over DNS: the chain of trust from the anchor, and the parent's DS against the zone's keys.
    private static string? FindBrokenLink(DnssecFacts zone)
    {
        if (zone.Trust is { Status: TrustStatus.Bogus, Break: TrustBreak.Signature or TrustBreak.Anchor } trust)
        {
            return $"{trust.Detail} (SEC010)";
        }

        var keys = zone.ZoneKeys.ToList();
        if (zone.Ds.Count > 0 && keys.Count == 0)
        {
            return $"the parent publishes DS records for {Show(zone.Apex)}, which is not signed (SEC002)";
        }

        return zone.Ds.Count > 0 && !zone.Ds.Any(d => d.Data is DsData ds && keys.Any(k => DnsSecCrypto.Matches(ds, zone.Apex, k)))
            ? $"the DS records for {Show(zone.Apex)} at the parent match none of its keys (SEC001)"
            : null;
    }

    protected override Finding? Check(DiagnosisContext context, DnssecFacts zone) => null;
}
