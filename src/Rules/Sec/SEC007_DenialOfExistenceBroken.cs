using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Sec;

/// <summary>The NSEC or NSEC3 chain does not match the zone: absent names and types cannot be proven absent.</summary>
public sealed class SEC007_DenialOfExistenceBroken : SecRule
{
    protected override string Id => "SEC007";

    protected override string Title => "The proof of non-existence (NSEC/NSEC3) is broken";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "A signed zone proves that a name or type does not exist with its NSEC or NSEC3 chain. The CAA climb asks for CAA at names that have none; when the chain does not cover them, or lists the wrong types, the negative answer cannot be validated, the CAA lookup fails at every level, and the CA must refuse.";

    private const string Consequence =
        " ({problems}): {detail}. " +
        "Negative answers — such as \"no CAA here\", which the CAA climb needs at almost every level — cannot be validated, so validating resolvers answer SERVFAIL and the CA must refuse.";

    /// <summary>Zone text: the zone's own NSEC or NSEC3 chain does not match its records.</summary>
    private static readonly RuleMessage ChainMismatch = new("chain-mismatch", Severity.Error, "The {kind} chain of {zone} does not match the zone" + Consequence);

    /// <summary>Over DNS: the NSEC records that must prove "no CAA here" on the climb are missing, wrong or not validly signed.</summary>
    private static readonly RuleMessage ProofFails = new("proof-fails", Severity.Error, "The proof of non-existence in {zone} fails" + Consequence);

    protected override IReadOnlyList<RuleMessage> Messages => [ChainMismatch, ProofFails];

    protected override IReadOnlyList<string> References => ["https://www.rfc-editor.org/rfc/rfc4035#section-5.4", "https://www.rfc-editor.org/rfc/rfc5155#section-8", CabfCaa];

    protected override Finding? Check(DiagnosisContext context, DnssecFacts zone)
    {
        var problems = zone.Denial;
        if (problems.Count == 0)
        {
            return null;
        }

        var evidence = problems.Take(MaxExamples).Select(p => p.Record is { } r ? $"{r.ToZoneLine()}    ; {p.Detail}{(r.Location is { } at ? $", line {at.Line}" : "")}" : p.Detail).ToList();
        var remediation = new Remediation("Re-sign the whole zone so that the chain is rebuilt (never edit NSEC/NSEC3 records by hand).", []);
        var (count, detail, location) = (Count(problems.Count, "problem"), problems[0].Detail, problems[0].Record?.Location);
        return zone.Signatures is { } signatures
            ? Report(zone.Apex, ChainMismatch, new { kind = $"{signatures.DenialKind}", zone = Show(zone.Apex), problems = count, detail }, evidence, remediation, location)
            : Report(zone.Apex, ProofFails, new { zone = Show(zone.Apex), problems = count, detail }, evidence, remediation, location);
    }
}
