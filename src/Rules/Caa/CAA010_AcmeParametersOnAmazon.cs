using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Caa;

/// <summary>
/// An issue property for Amazon restricted by RFC 8657 parameters. ACM is not an ACME CA: it has no
/// ACME account URIs and does not use ACME validation methods, and CAs must honour these parameters.
/// </summary>
public sealed class CAA010_AcmeParametersOnAmazon : CaaRule
{
    protected override string Id => "CAA010";

    protected override string Title => "The CAA record for the CA carries ACME-only parameters";

    protected override Severity DefaultSeverity => Severity.Warning;

    protected override string Summary =>
        "RFC 8657's 'accounturi' and 'validationmethods' parameters restrict an authorisation to one ACME account or ACME validation methods. ACM does not issue through ACME, and the CA/Browser Forum requires CAs to honour these parameters, so such a record may not authorise ACM.";

    private static readonly RuleMessage Acme = new("acme-parameters", Severity.Warning,
        "The record '{record}' at {owner} allows {issuer} only with {parameters}. " +
        "ACM does not issue through ACME, so it has no account URI to match and uses no ACME validation method; a CA honouring RFC 8657 " +
        "would then not count this record as authorising it. Publish a plain 'issue \"{plain}\"' record for ACM.");

    protected override IReadOnlyList<RuleMessage> Messages => [Acme];

    protected override IReadOnlyList<string> References =>
        ["https://www.rfc-editor.org/rfc/rfc8657#section-3", "https://www.rfc-editor.org/rfc/rfc8657#section-4", AcmCaa];

    private static readonly string[] AcmeParameters = ["accounturi", "validationmethods"];

    protected override ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision, CancellationToken cancellationToken)
    {
        if (!decision.Readings.Any(AskedForAcmeParameters))
        {
            return NoFindings;
        }

        return ValueTask.FromResult(Findings(context, set, decision));
    }

    private IEnumerable<Finding> Findings(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision)
    {
        var apex = ZoneApex(context);
        return decision.Readings
            .Where(AskedForAcmeParameters)
            .Select(reading =>
            {
                var parameters = string.Join(", ", reading.Value!.Parameters.Select(p => $"{p.Key}={p.Value}"));
                var arguments = new { record = reading.Data.ToString(), owner = Show(reading.Record.Owner), issuer = reading.Value.Issuer, parameters, plain = context.Subject.CaIssuer };
                var remediation = new Remediation($"Add a CAA record for {Ca(context)} without ACME parameters",
                    [RemediationRecords.Make(RecordAction.Add, reading.Record.Owner, Dns.Records.RecordType.CAA, IssueValue(context, reading.Data.Tag.ToLowerInvariant()), apex)]);
                return Report(set.Requested, Acme, arguments, Evidence([reading.Record]), remediation, reading.Record.Location);
            });
    }

    private static bool AskedForAcmeParameters(PropertyReading reading) =>
        reading.Applies && reading.AuthorisesCa && reading.Value!.Parameters.Any(p => AcmeParameters.Contains(p.Key, StringComparer.OrdinalIgnoreCase));
}
