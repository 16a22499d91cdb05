using RulesApi.Dns.DnsSec;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Sec;

/// <summary>RRsets of a signed zone that no RRSIG covers.</summary>
public sealed class SEC004_MissingSignature : SecRule
{
    protected override string Id => "SEC004";

    protected override string Title => "Records of a signed zone have no signature";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "In a signed zone every authoritative RRset must carry an RRSIG. Validating resolvers treat an unsigned RRset in a signed zone as bogus and answer SERVFAIL — typically records added after signing, by hand, without re-signing.";

    private static readonly RuleMessage Unsigned = new("unsigned", Severity.Error,
        "{zone} is signed, but {rrsets} {have} no RRSIG, starting with {owner} {type}. " +
        "Validating resolvers answer SERVFAIL for them.");

    protected override IReadOnlyList<RuleMessage> Messages => [Unsigned];

    protected override IReadOnlyList<string> References => ["https://www.rfc-editor.org/rfc/rfc4035#section-2.2", Rfc4035Validation];

    protected override Finding? Check(DiagnosisContext context, DnssecFacts zone)
    {
        if (zone.Rrsets.Count == 0)
        {
            return null; // an unsigned zone: found without a list and an iterator
        }

        var unsigned = zone.Rrsets.Where(r => r.Check.Status == RrsetStatus.Unsigned).ToList();
        if (unsigned.Count == 0)
        {
            return null;
        }

        var arguments = new
        {
            zone = Show(zone.Apex),
            rrsets = Count(unsigned.Count, "RRset"),
            have = unsigned.Count == 1 ? "has" : "have",
            owner = unsigned[0].Owner.Text,
            type = $"{unsigned[0].Type}",
        };
        var remediation = new Remediation("Re-sign the zone after adding records (with most providers: make the change through the provider, which signs it).", []);
        return Report(zone.Apex, Unsigned, arguments, Examples(unsigned), remediation, unsigned[0].Records[0].Location);
    }
}
