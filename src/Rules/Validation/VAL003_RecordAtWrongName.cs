using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;

namespace RulesApi.Rules.Validation;

/// <summary>
/// The token or the value is published at another name (the apex instead of www, another subdomain),
/// or the record sits in this zone below a delegation, where other servers answer.
/// </summary>
public sealed class VAL003_RecordAtWrongName : ValidationRule
{
    protected override string Id => "VAL003";

    protected override string Title => "The validation CNAME is at the wrong name or in the wrong zone";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "The record ACM asked for exists, but at another name (the apex instead of www, another subdomain), or in a zone that is not the one the world asks for that name.";

    private const string BelowCut = Expects + ", but {name} is below {cut}, which is delegated to other name servers. " +
        "The record must be created in the zone for {cut} at the servers it is delegated to; records for it in this zone are never seen.";

    /// <summary>The zone text has records for the name below the delegation, which nobody sees.</summary>
    private static readonly RuleMessage BelowDelegation = new("below-delegation", Severity.Error, BelowCut);

    /// <summary>The name is below a delegation and this zone has nothing there: the delegated zone, not given, decides (inconclusive).</summary>
    private static readonly RuleMessage BelowDelegationNotChecked = new("below-delegation-not-checked", Severity.Error, BelowCut);

    private const string Elsewhere = " is at {where} instead. " +
        "ACM looks only at {name}: each name on the certificate has its own record at its own level.";

    /// <summary>A record whose name carries the request's token sits at another name.</summary>
    private static readonly RuleMessage TokenElsewhere = new("token-elsewhere", Severity.Error, Expects + ", but a record with its token" + Elsewhere);

    /// <summary>A record with the expected value (and another token) sits at another name.</summary>
    private static readonly RuleMessage ValueElsewhere = new("value-elsewhere", Severity.Error, Expects + ", but a record with its value" + Elsewhere);

    protected override IReadOnlyList<RuleMessage> Messages => [BelowDelegation, BelowDelegationNotChecked, TokenElsewhere, ValueElsewhere];

    protected override IReadOnlyList<string> References => [AcmDnsValidation, "https://www.rfc-editor.org/rfc/rfc1034#section-4.2.1"];

    protected override Finding? Check(ValidationFacts facts)
    {
        if (facts.Delegation is { } cut)
        {
            var (name, value) = Expected(facts);
            var here = facts.RecordsBelowDelegation;
            return Report(facts.Expected.Domain, here.Count == 0 ? BelowDelegationNotChecked : BelowDelegation, new { name, value, cut = Show(cut) }, Evidence(here),
                new Remediation($"Create the CNAME in the zone {Show(cut)}, at its own DNS provider", [AddExpected(facts)]), here.FirstOrDefault()?.Location, inconclusive: here.Count == 0);
        }

        return facts.Matches || facts.Doubled is not null || (facts.TokenElsewhere.Count == 0 && facts.ValueElsewhere.Count == 0) ? null : Misplaced(facts);
    }

    /// <remarks>
    /// Apart from <see cref="Check"/>: its lambdas use the facts, and made a closure at every check (with the expected
    /// record shown as text), finding or not.
    /// </remarks>
    private Finding Misplaced(ValidationFacts facts)
    {
        var (name, value) = Expected(facts);
        var misplaced = facts.TokenElsewhere.Concat(facts.ValueElsewhere).ToList();
        var arguments = new { name, value, where = string.Join(", ", misplaced.Select(r => Show(r.Owner)).Distinct()) };
        var records = misplaced.Select(r => RemediationRecords.Remove(r, facts.ZoneApex)).Append(AddExpected(facts)).ToList();
        return Report(facts.Expected.Domain, facts.TokenElsewhere.Count > 0 ? TokenElsewhere : ValueElsewhere, arguments, Evidence(misplaced),
            new Remediation($"Create the CNAME at {Show(facts.Expected.Name)}; the misplaced record can go", records), misplaced[0].Location);
    }
}
