using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;

namespace RulesApi.Rules.Validation;

/// <summary>The validation name could not be looked up: a server failed, or (offline) the name lives in another zone.</summary>
public sealed class VAL009_ValidationLookupFailed : ValidationRule
{
    protected override string Id => "VAL009";

    protected override string Title => "The validation CNAME could not be looked up";

    protected override Severity DefaultSeverity => Severity.Warning;

    protected override string Summary =>
        "The lookup of the validation name failed (SERVFAIL, REFUSED, a timeout, a lame server) or, in a zone audit, the name lies outside the zone given. ACM retries for 72 hours, but while its lookups fail the certificate stays pending; this diagnosis cannot say whether the record is right.";

    private static readonly RuleMessage LookupFailed = new("lookup-failed", Severity.Warning, Expects +
        ", but the lookup of {name} could not be completed: {detail}. " +
        "ACM cannot validate while its own lookups fail; fix the server (or, for a zone audit, check the zone that holds the name).");

    protected override IReadOnlyList<RuleMessage> Messages => [LookupFailed];

    protected override IReadOnlyList<string> References => [AcmTroubleshooting, "https://www.rfc-editor.org/rfc/rfc8767"];

    protected override Finding? Check(ValidationFacts facts)
    {
        // Below a delegation in zone text, VAL003 explains the case better.
        if (!facts.NotCheckable || facts.Delegation is not null)
        {
            return null;
        }

        var (name, value) = Expected(facts);
        return Report(facts.Expected.Domain, LookupFailed, new { name, value, detail = facts.Cname.Detail }, inconclusive: true);
    }
}
