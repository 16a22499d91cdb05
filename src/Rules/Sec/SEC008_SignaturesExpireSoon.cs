using RulesApi.Dns.DnsSec;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Sec;

/// <summary>Valid signatures that expire within a few days: if re-signing has stopped, the zone breaks then.</summary>
public sealed class SEC008_SignaturesExpireSoon : SecRule
{
    public static readonly RuleOption Days = new("days", 7, 0, 365, "How many days before a signature expires it is reported.");

    protected override string Id => "SEC008";

    protected override string Title => "Signatures expire within days";

    protected override Severity DefaultSeverity => Severity.Warning;

    protected override string Summary =>
        "Signers re-sign well before expiry. Signatures that expire within the threshold (7 days by default; profile threshold 'days') suggest re-signing has stopped: when they expire, validating resolvers answer SERVFAIL and renewals of the certificate fail.";

    protected override IReadOnlyList<RuleOption> Options => [Days];

    private static readonly RuleMessage ExpireSoon = new("expire-soon", Severity.Warning,
        "{rrsets} of {zone} {are} signed only until {until} at the earliest ({days} days from now). " +
        "Unless the zone is re-signed before then, validating resolvers will answer SERVFAIL and certificate renewals will fail.");

    protected override IReadOnlyList<RuleMessage> Messages => [ExpireSoon];

    protected override IReadOnlyList<string> References => ["https://www.rfc-editor.org/rfc/rfc6781#section-4.4.2", "https://www.rfc-editor.org/rfc/rfc4034#section-3.1.5"];

    protected override Finding? Check(DiagnosisContext context, DnssecFacts zone)
    {
        if (zone.Rrsets.Count == 0)
        {
            return null; // an unsigned zone
        }

        return ExpiringSoon(context, zone);
    }

    /// <remarks>Apart from <see cref="Check"/>: its filter uses the limit, and made a closure at every check, even of an unsigned zone.</remarks>
    private Finding? ExpiringSoon(DiagnosisContext context, DnssecFacts zone)
    {
        var now = context.Clock.GetUtcNow();
        var limit = now.AddDays(Option(context, Days)).ToUnixTimeSeconds();
        var soon = zone.Rrsets.Where(r => r.Check.Status == RrsetStatus.Secure && r.Check.Data!.Expiration <= limit)
            .OrderBy(r => r.Check.Data!.Expiration).ToList();
        if (soon.Count == 0)
        {
            return null;
        }

        var first = soon[0].Check.Data!.Expiration;
        var arguments = new
        {
            rrsets = Count(soon.Count, "RRset"),
            zone = Show(zone.Apex),
            are = soon.Count == 1 ? "is" : "are",
            until = RrsetVerifier.Show(first),
            days = $"{(first - now.ToUnixTimeSeconds()) / 86400.0:0.#}",
        };
        var remediation = new Remediation("Check that the signer is running and re-signs automatically; re-sign now if it is not.", []);
        return Report(zone.Apex, ExpireSoon, arguments, Examples(soon), remediation, soon[0].Check.Signature?.Location);
    }
}
