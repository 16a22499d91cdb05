using RulesApi.Dns.DnsSec;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Sec;

/// <summary>RRSIGs that do not verify, or that name a key the zone does not publish.</summary>
public sealed class SEC005_SignatureDoesNotVerify : SecRule
{
    protected override string Id => "SEC005";

    protected override string Title => "Signatures do not verify";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "A signature must verify with a key the zone publishes in its DNSKEY set. A record changed after signing, a signature by a key since removed, or a corrupted signature makes validating resolvers answer SERVFAIL.";

    private static readonly RuleMessage DoesNotVerify = new("does-not-verify", Severity.Error,
        "{rrsets} of {zone} {have} no signature that verifies: {owner} {type} — {detail}. " +
        "Validating resolvers answer SERVFAIL for those records.");

    protected override IReadOnlyList<RuleMessage> Messages => [DoesNotVerify];

    protected override IReadOnlyList<string> References => ["https://www.rfc-editor.org/rfc/rfc4035#section-5.3", Rfc4034];

    protected override Finding? Check(DiagnosisContext context, DnssecFacts zone)
    {
        if (zone.Rrsets.Count == 0)
        {
            return null; // an unsigned zone: found without a list and an iterator
        }

        var broken = zone.Rrsets.Where(r => r.Check.Status is RrsetStatus.BadSignature or RrsetStatus.NoMatchingKey).ToList();
        if (broken.Count == 0)
        {
            return null;
        }

        var arguments = new
        {
            rrsets = Count(broken.Count, "RRset"),
            zone = Show(zone.Apex),
            have = broken.Count == 1 ? "has" : "have",
            owner = broken[0].Owner.Text,
            type = $"{broken[0].Type}",
            detail = broken[0].Check.Detail,
        };
        var remediation = new Remediation("Re-sign the zone with its current keys; if a key was removed, keep it published until the signatures made with it have expired (RFC 7583).", []);
        return Report(zone.Apex, DoesNotVerify, arguments, Examples(broken), remediation, broken[0].Check.Signature?.Location);
    }
}
