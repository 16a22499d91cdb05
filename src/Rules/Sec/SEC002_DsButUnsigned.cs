using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Sec;

/// <summary>The parent publishes DS records, but the zone has no DNSKEY: it claims to be signed and is not.</summary>
public sealed class SEC002_DsButUnsigned : SecRule
{
    protected override string Id => "SEC002";

    protected override string Title => "DS records at the registrar, but the zone is not signed";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "DS records in the parent promise that the zone is signed. A zone with no DNSKEY records breaks that promise: validating resolvers, the CA's included, answer SERVFAIL for its names, and the CA must refuse to issue. Typical after moving to a provider that does not sign the zone.";

    private static readonly RuleMessage Unsigned = new("unsigned", Severity.Error,
        "The DS records {source} say {zone} is signed, but the zone publishes no DNSKEY records. " +
        "Validating resolvers — the CA's included — cannot build the chain of trust, answer SERVFAIL, and ACM's CAA check fails.");

    protected override IReadOnlyList<RuleMessage> Messages => [Unsigned];

    protected override IReadOnlyList<string> References => [Rfc4035Validation, CabfCaa];

    protected override Finding? Check(DiagnosisContext context, DnssecFacts zone)
    {
        if (zone.Ds.Count == 0 || zone.Keys.Count > 0)
        {
            return null;
        }

        var remediation = new Remediation(
            $"Either remove the DS records of {Show(zone.Apex)} at the registrar, or turn on DNSSEC signing at the DNS provider and enter the DS it shows.",
            zone.Ds.Select(r => RemediationRecords.Remove(r, null)).ToList());
        return Report(zone.Apex, Unsigned, new { source = zone.DsSource, zone = Show(zone.Apex) }, Evidence(zone.Ds), remediation);
    }
}
