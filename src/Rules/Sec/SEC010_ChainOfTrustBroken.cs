using RulesApi.Dns.DnsSec;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Sec;

/// <summary>The chain of trust from the root to the zone breaks at a signature or a key above the zone's own DS link.</summary>
public sealed class SEC010_ChainOfTrustBroken : SecRule
{
    protected override string Id => "SEC010";

    protected override string Title => "The chain of trust from the root is broken";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "Validating resolvers trust a zone's keys only through an unbroken chain from the root's trust anchor: each parent signs the DS set of its child, and each zone's DNSKEY set is signed by a key its DS names. A broken signature or key anywhere on the way makes every answer below bogus: SERVFAIL, and the CA must refuse. (A DS at the zone's own parent that matches none of its keys is SEC001's; a DS for an unsigned zone, SEC002's.)";

    private const string Consequence =
        "Validating resolvers — the CA's included — answer SERVFAIL for every name below the break, so the CAA lookup fails and ACM must refuse to issue.";

    /// <summary>The break is at the zone itself (a signature or key of its own).</summary>
    private static readonly RuleMessage Broken = new("broken", Severity.Error, "The chain of trust from the root to {zone} is broken: {detail}. " + Consequence);

    /// <summary>The break is in a zone above, which only that zone's operator can mend.</summary>
    private static readonly RuleMessage BrokenAbove = new("broken-above", Severity.Error,
        "The chain of trust from the root to {zone} is broken above it, at {brokenAt}: {detail}. " + Consequence);

    protected override IReadOnlyList<RuleMessage> Messages => [Broken, BrokenAbove];

    protected override IReadOnlyList<string> References => [Rfc4035Validation, "https://www.rfc-editor.org/rfc/rfc4033#section-5", CabfCaa];

    protected override Finding? Check(DiagnosisContext context, DnssecFacts zone)
    {
        if (zone.Trust is not { Status: TrustStatus.Bogus } trust
            || (trust.BrokenAt == zone.Apex && trust.Break is TrustBreak.KeysMatchNoDs or TrustBreak.NoKeys))
        {
            return null;
        }

        var remediation = new Remediation(
            trust.BrokenAt is { } zoneAt && zoneAt != zone.Apex
                ? $"The break is in {Show(zoneAt)}, outside this zone: its operator has to re-sign it."
                : $"Re-sign {Show(zone.Apex)} with a key its DS names, or replace the DS at the registrar with the DS of the current key.", []);
        return trust.BrokenAt is { } at && at != zone.Apex
            ? Report(zone.Apex, BrokenAbove, new { zone = Show(zone.Apex), brokenAt = Show(at), detail = trust.Detail }, [trust.Detail], remediation)
            : Report(zone.Apex, Broken, new { zone = Show(zone.Apex), detail = trust.Detail }, [trust.Detail], remediation);
    }
}
