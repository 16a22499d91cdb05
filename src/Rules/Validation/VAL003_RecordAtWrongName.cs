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

    protected override IReadOnlyList<string> References => [AcmDnsValidation, "https://www.rfc-editor.org/rfc/rfc1034#section-4.2.1"];

    protected override Finding? Check(ValidationFacts facts)
    {
        if (facts.Delegation is { } cut)
        {
            var here = facts.RecordsBelowDelegation;
            var message = $"{Expected(facts)}, but {Show(facts.Expected.Name)} is below {Show(cut)}, which is delegated to other name servers. " +
                $"The record must be created in the zone for {Show(cut)} at the servers it is delegated to; records for it in this zone are never seen.";
            return Report(facts.Expected.Domain, message, Evidence(here),
                new Remediation($"Create the CNAME in the zone {Show(cut)}, at its own DNS provider", [AddExpected(facts)]), here.FirstOrDefault()?.Location, inconclusive: here.Count == 0);
        }

        if (facts.Matches || facts.Doubled is not null)
        {
            return null;
        }

        var misplaced = facts.TokenElsewhere.Concat(facts.ValueElsewhere).ToList();
        if (misplaced.Count == 0)
        {
            return null;
        }

        var where = string.Join(", ", misplaced.Select(r => Show(r.Owner)).Distinct());
        var text = $"{Expected(facts)}, but a record with its {(facts.TokenElsewhere.Count > 0 ? "token" : "value")} is at {where} instead. " +
            $"ACM looks only at {Show(facts.Expected.Name)}: each name on the certificate has its own record at its own level.";
        var records = misplaced.Select(r => RemediationRecords.Remove(r, facts.ZoneApex)).Append(AddExpected(facts)).ToList();
        return Report(facts.Expected.Domain, text, Evidence(misplaced),
            new Remediation($"Create the CNAME at {Show(facts.Expected.Name)}; the misplaced record can go", records), misplaced[0].Location);
    }
}
