using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;

namespace RulesApi.Rules.Validation;

/// <summary>A CNAME at the validation name whose target is not the value ACM gave; says how it differs.</summary>
public sealed class VAL004_ValueMismatch : ValidationRule
{
    protected override string Id => "VAL004";

    protected override string Title => "The validation CNAME points at the wrong value";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "The CNAME exists at the right name but its target differs from ACM's value: a character off, truncated, the zone appended to the value, a lost leading underscore, or the token of another certificate request.";

    /// <summary>The {difference} says how the values differ (see <see cref="Difference"/>).</summary>
    private static readonly RuleMessage WrongValue = new("wrong-value", Severity.Error, Expects + ", but the CNAME points at {target}: {difference}");

    protected override IReadOnlyList<RuleMessage> Messages => [WrongValue];

    protected override IReadOnlyList<string> References => [AcmDnsValidation, AcmTroubleshooting];

    protected override Finding? Check(ValidationFacts facts)
    {
        if (facts.Record is not { Data: NameData data } record || facts.Matches)
        {
            return null;
        }

        var (name, value) = Expected(facts);
        var arguments = new { name, value, target = Show(data.Target), difference = Difference(data.Target, facts.Expected.Value, facts.ZoneApex) };
        return Report(facts.Expected.Domain, WrongValue, arguments, Evidence([record]),
            new Remediation($"Change the target of {Show(facts.Expected.Name)} to {Show(facts.Expected.Value)}",
                [RemediationRecords.Remove(record, facts.ZoneApex), AddExpected(facts)]),
            record.Location);
    }

    /// <summary>Says in words how the published value differs from the expected one.</summary>
    public static string Difference(DnsName actual, DnsName expected, DnsName? zone)
    {
        var a = actual.Text.TrimEnd('.').ToLowerInvariant();
        var e = expected.Text.TrimEnd('.').ToLowerInvariant();
        if (zone is not null && a == e + "." + zone.Text.TrimEnd('.').ToLowerInvariant())
        {
            return $"the zone name was appended to the value. The provider treated the value as a name inside {Show(zone)}; enter it with a final dot ({Show(expected)}.) or as the provider's form expects a full host name.";
        }

        if ("_" + a == e)
        {
            return "the leading underscore is missing. Copy the value exactly, underscore included.";
        }

        if (a == "_" + e)
        {
            return "there is an extra underscore at the start.";
        }

        if (e.StartsWith(a, StringComparison.Ordinal))
        {
            return $"the value is cut short after {a.Length} of its {e.Length} characters; the rest ('{e[a.Length..]}') is missing.";
        }

        if (a.Length == e.Length)
        {
            var differences = Enumerable.Range(0, a.Length).Where(i => a[i] != e[i]).ToList();
            if (differences.Count == 1)
            {
                var i = differences[0];
                return $"one character differs, at position {i + 1}: '{a[i]}' where ACM has '{e[i]}'.";
            }
        }

        if (ExpectedValidation.IsAcmShapedValue(actual))
        {
            return "it is a validation value of ACM's shape but with another token: it belongs to another (perhaps earlier) certificate request. Each request has its own records; use the ones of this certificate.";
        }

        return "the values differ. Copy the value from the ACM console or 'aws acm describe-certificate' again.";
    }
}
