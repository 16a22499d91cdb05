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

    protected override IReadOnlyList<string> References => ["https://www.rfc-editor.org/rfc/rfc4035#section-5.4", "https://www.rfc-editor.org/rfc/rfc5155#section-8", CabfCaa];

    protected override Finding? Check(DiagnosisContext context, DnssecFacts zone)
    {
        var problems = zone.Denial;
        if (problems.Count == 0)
        {
            return null;
        }

        var what = zone.Signatures is { } signatures ? $"The {signatures.DenialKind} chain of {Show(zone.Apex)} does not match the zone" : $"The proof of non-existence in {Show(zone.Apex)} fails";
        var message = $"{what} ({Count(problems.Count, "problem")}): {problems[0].Detail}. " +
            "Negative answers — such as \"no CAA here\", which the CAA climb needs at almost every level — cannot be validated, so validating resolvers answer SERVFAIL and the CA must refuse.";
        var evidence = problems.Take(MaxExamples).Select(p => p.Record is { } r ? $"{r.ToZoneLine()}    ; {p.Detail}{(r.Location is { } at ? $", line {at.Line}" : "")}" : p.Detail).ToList();
        var remediation = new Remediation("Re-sign the whole zone so that the chain is rebuilt (never edit NSEC/NSEC3 records by hand).", []);
        return Report(zone.Apex, message, evidence, remediation, problems[0].Record?.Location);
    }
}
