using RulesApi.Dns.Views;
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

    /// <summary>Every server asked stayed silent, or this diagnosis's own limits stopped the lookup: nothing was said against the zone.</summary>
    private static readonly RuleMessage NotDone = new("not-done", Severity.Warning, Expects +
        ", but the lookup of {name} could not be done: {detail}. This says nothing against the zone — no server refused or answered wrongly; {why} " +
        "Try again later; while ACM's own lookups meet the same silence, the certificate stays pending.");

    /// <summary>This service's own configured servers (its root servers, its resolvers) did not answer: its network, not the zone.</summary>
    private static readonly RuleMessage OwnServersSilent = new("own-servers-silent", Severity.Warning, Expects +
        ", but the lookup of {name} could not be done: this service's own DNS servers did not answer ({detail}). " +
        "That is this service's network or configuration (Dns:RootServers, Dns:Resolvers), not the zone: nothing is known about the record yet. Try again once the service can reach DNS.");

    protected override IReadOnlyList<RuleMessage> Messages => [LookupFailed, NotDone, OwnServersSilent];

    protected override IReadOnlyList<string> References => [AcmTroubleshooting, "https://www.rfc-editor.org/rfc/rfc8767"];

    protected override Finding? Check(ValidationFacts facts)
    {
        // Below a delegation in zone text, VAL003 explains the case better.
        if (!facts.NotCheckable || facts.Delegation is not null)
        {
            return null;
        }

        var (name, value) = Expected(facts);
        // Whom the failure blames is the view's classification of it, never the wording of its detail.
        var kind = facts.Cname.Status == AnswerStatus.Failure ? facts.Cname.FailedBecause : FailureKind.Unclassified;
        return kind switch
        {
            FailureKind.OwnServersSilent => Report(facts.Expected.Domain, OwnServersSilent, new { name, value, detail = facts.Cname.Detail }, inconclusive: true),
            FailureKind.ServersSilent or FailureKind.LimitReached => Report(facts.Expected.Domain, NotDone, new
            {
                name,
                value,
                detail = facts.Cname.Detail,
                why = kind == FailureKind.LimitReached
                    ? "this diagnosis stopped at its own limits before a server had its say."
                    : "the servers asked did not answer in time.",
            }, inconclusive: true),
            _ => Report(facts.Expected.Domain, LookupFailed, new { name, value, detail = facts.Cname.Detail }, inconclusive: true),
        };
    }
}
