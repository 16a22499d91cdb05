using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;

namespace RulesApi.Rules.Validation;

/// <summary>The record exists at the expected name with the zone appended again (the Host-field mistake).</summary>
public sealed class VAL002_ZoneAppendedTwice : ValidationRule
{
    protected override string Id => "VAL002";

    protected override string Title => "The validation CNAME was created with the zone name twice";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "GoDaddy, Namecheap and most provider forms append the zone to the Host field. Pasting ACM's full record name there creates _x.example.com.example.com, which ACM never looks at.";

    private static readonly RuleMessage ZoneTwice = new("zone-twice", Severity.Error, Expects +
        ", but the record was created at {owner}: the zone name {zone} appears twice. " +
        "The provider's form adds the zone to what is typed in the Host field, so type only '{host}' there.");

    protected override IReadOnlyList<RuleMessage> Messages => [ZoneTwice];

    protected override IReadOnlyList<string> References => [AcmTroubleshooting, AcmDnsValidation];

    protected override Finding? Check(ValidationFacts facts)
    {
        if (facts.Doubled is not { } doubled || facts.Matches)
        {
            return null;
        }

        var host = RemediationRecords.HostField(facts.Expected.Name, facts.ZoneApex);
        var (name, value) = Expected(facts);
        var arguments = new { name, value, owner = Show(doubled.Owner), zone = Show(facts.ZoneApex ?? facts.Expected.Domain), host };
        return Report(facts.Expected.Domain, ZoneTwice, arguments, Evidence([doubled]),
            new Remediation($"Delete the record at {Show(doubled.Owner)} and create it with Host '{host}'",
                [RemediationRecords.Remove(doubled, facts.ZoneApex), AddExpected(facts)]),
            doubled.Location);
    }
}
