using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;

namespace RulesApi.Rules.Validation;

/// <summary>The validation name holds a TXT (or another non-address type) instead of the CNAME.</summary>
public sealed class VAL005_WrongTypeAtValidationName : ValidationRule
{
    protected override string Id => "VAL005";

    protected override string Title => "The validation record was created with the wrong type";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "ACM's validation record is a CNAME. A TXT record with the same name and value (a common mix-up with other CAs' DNS challenges) does not validate anything, and it also stops a CNAME from being added beside it.";

    /// <summary>The CNAME is there, with other data beside it.</summary>
    private static readonly RuleMessage BesideCname = new("beside-cname", Severity.Error, Expects +
        "; the CNAME is there, but {name} also has {types} data. A CNAME must be alone at its name, " +
        "and resolvers (ACM's among them) may answer with either: delete the other records.");

    /// <summary>Other data (a TXT, say) instead of the CNAME.</summary>
    private static readonly RuleMessage WrongType = new("wrong-type", Severity.Error, Expects +
        ", but {name} has {types} data instead. ACM only follows a CNAME there; " +
        "delete the other record (a name with a CNAME can have no other data) and create the CNAME.");

    protected override IReadOnlyList<RuleMessage> Messages => [BesideCname, WrongType];

    protected override IReadOnlyList<string> References => [AcmDnsValidation, "https://www.rfc-editor.org/rfc/rfc1034#section-3.6.2"];

    protected override Finding? Check(ValidationFacts facts)
    {
        if (facts.OtherData.Count == 0)
        {
            return null; // the usual case, found without a filter's closure, iterator and list
        }

        return Found(facts);
    }

    /// <remarks>Apart from <see cref="Check"/>: its lambdas use the facts, and made a closure at every check, finding or not.</remarks>
    private Finding? Found(ValidationFacts facts)
    {
        // Beside a CNAME any other data is wrong; without one, addresses are VAL006's case.
        var wrong = facts.OtherData.Where(r => facts.Record is not null || (r.Type != RecordType.A && r.Type != RecordType.AAAA)).ToList();
        if (wrong.Count == 0)
        {
            return null;
        }

        var types = string.Join(", ", wrong.Select(r => r.Type.ToString()).Distinct());
        var (name, value) = Expected(facts);
        if (facts.Record is { } cname)
        {
            return Report(facts.Expected.Domain, BesideCname, new { name, value, types }, Evidence(wrong.Prepend(cname)),
                new Remediation($"Delete the {types} record at {Show(facts.Expected.Name)}", wrong.Select(r => RemediationRecords.Remove(r, facts.ZoneApex)).ToList()),
                wrong[0].Location);
        }

        return Report(facts.Expected.Domain, WrongType, new { name, value, types }, Evidence(wrong),
            new Remediation($"Replace the {types} record at {Show(facts.Expected.Name)} by the CNAME",
                wrong.Select(r => RemediationRecords.Remove(r, facts.ZoneApex)).Append(AddExpected(facts)).ToList()),
            wrong[0].Location);
    }
}
