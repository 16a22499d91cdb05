using System.Globalization;
using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Caa;

/// <summary>Flags other than 0 and 128: reserved bits are set, which usually means the form's fields were mixed up.</summary>
public sealed class CAA006_UnusualFlags : CaaRule
{
    protected override string Id => "CAA006";

    protected override string Title => "A CAA record has flags other than 0 or 128";

    protected override Severity DefaultSeverity => Severity.Warning;

    protected override string Summary =>
        "Only the issuer-critical bit (128) of the CAA flags is defined; the other bits are reserved and must be zero. Other values usually come from a field typed into the wrong box.";

    private static readonly RuleMessage ReservedBits = new("reserved-bits", Severity.Warning,
        "The CAA record '{record}' at {owner} has flags {flags}. Only 0 and 128 (critical) are meaningful; reserved bits are set. " +
        "CAs ignore the reserved bits, but the value suggests the record was not entered as intended: check it in the provider's form.");

    protected override IReadOnlyList<RuleMessage> Messages => [ReservedBits];

    protected override IReadOnlyList<string> References => [Rfc8659Properties];

    protected override ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision, CancellationToken cancellationToken)
    {
        if (!decision.Readings.Any(Unusual))
        {
            return NoFindings;
        }

        return ValueTask.FromResult(Findings(context, set, decision));
    }

    private IEnumerable<Finding> Findings(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision)
    {
        var apex = ZoneApex(context);
        return decision.Readings.Where(Unusual).Select(reading =>
        {
            var fixedFlags = (byte)(reading.Data.Flags & 0x80);
            var arguments = new { record = reading.Data.ToString(), owner = Show(reading.Record.Owner), flags = reading.Data.Flags };
            var remediation = new Remediation(string.Create(CultureInfo.InvariantCulture, $"Publish the record with flags {fixedFlags}"),
            [
                RemediationRecords.Remove(reading.Record, apex),
                RemediationRecords.Make(RecordAction.Add, reading.Record.Owner, RecordType.CAA, new CaaData(fixedFlags, reading.Data.Tag, reading.Data.Value).ToString(), apex),
            ]);
            return Report(set.Requested, ReservedBits, arguments, Evidence([reading.Record]), remediation, reading.Record.Location);
        });
    }

    private static bool Unusual(PropertyReading reading) => reading.Data.Flags is not (0 or 128);
}
