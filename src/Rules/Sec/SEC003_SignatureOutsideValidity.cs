using RulesApi.Dns.DnsSec;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Sec;

/// <summary>RRSIGs that have expired or are not valid yet.</summary>
public sealed class SEC003_SignatureOutsideValidity : SecRule
{
    protected override string Id => "SEC003";

    protected override string Title => "Signatures have expired or are not valid yet";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "An RRSIG is valid only between its inception and expiration times. Outside them, validating resolvers — the CA's included — reject the records it covers and answer SERVFAIL. Expired signatures usually mean the signer stopped re-signing; future ones, a signer with a wrong clock.";

    private const string NotValidNow =
        "{rrsets} of {zone} {have} no signature valid now ({now}): {owner} {type} — {detail}. " +
        "Validating resolvers reject those records and answer SERVFAIL; if the CAA records or the validation CNAME are among them, ACM cannot issue.";

    /// <summary>The first RRset's signatures have expired: the signer stopped re-signing.</summary>
    private static readonly RuleMessage Expired = new("expired", Severity.Error, NotValidNow);

    /// <summary>The first RRset's signatures start in the future: usually a signer with a wrong clock.</summary>
    private static readonly RuleMessage Future = new("future", Severity.Error, NotValidNow);

    protected override IReadOnlyList<RuleMessage> Messages => [Expired, Future];

    protected override IReadOnlyList<string> References => ["https://www.rfc-editor.org/rfc/rfc4034#section-3.1.5", Rfc4035Validation, CabfCaa];

    protected override Finding? Check(DiagnosisContext context, DnssecFacts zone)
    {
        if (zone.Rrsets.Count == 0)
        {
            return null; // an unsigned zone: found without a list and an iterator
        }

        var broken = zone.Rrsets.Where(r => r.Check.Status is RrsetStatus.Expired or RrsetStatus.NotYetValid).ToList();
        if (broken.Count == 0)
        {
            return null;
        }

        var now = context.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        var arguments = new
        {
            rrsets = Count(broken.Count, "RRset"),
            zone = Show(zone.Apex),
            have = broken.Count == 1 ? "has" : "have",
            now,
            owner = broken[0].Owner.Text,
            type = $"{broken[0].Type}",
            detail = broken[0].Check.Detail,
        };
        var remediation = new Remediation("Re-sign the zone (and check that the signer re-signs automatically and that its clock is right).", []);
        return Report(zone.Apex, broken[0].Check.Status == RrsetStatus.Expired ? Expired : Future, arguments, Examples(broken), remediation, broken[0].Check.Signature?.Location);
    }
}
