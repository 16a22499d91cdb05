using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Caa;

/// <summary>An unknown, non-critical tag one slip away from issue, issuewild or iodef: CAs ignore it silently.</summary>
public sealed class CAA005_PropertyTagTypo : CaaRule
{
    protected override string Id => "CAA005";

    protected override string Title => "A CAA tag looks like a misspelt 'issue', 'issuewild' or 'iodef'";

    protected override Severity DefaultSeverity => Severity.Warning;

    protected override string Summary =>
        "CAs ignore properties with tags they do not know (unless marked critical). A tag such as 'isue' or 'issues' is therefore ignored, and the authorisation it was meant to give does not exist.";

    private const string Typo =
        "The CAA record at {owner} has the tag '{tag}', which no CA knows; it was probably meant to be '{meant}'. " +
        "CAs ignore unknown tags, so this record has no effect";

    /// <summary>The rest of the set allows Amazon anyway.</summary>
    private static readonly RuleMessage NoEffect = new("typo", Severity.Warning, Typo + ".");

    /// <summary>Without the misspelt record, nothing in the set allows Amazon.</summary>
    private static readonly RuleMessage Blocks = new("typo-blocks", Severity.Warning, Typo +
        ", and without it nothing in the set allows {ca} to issue for {name}.");

    protected override IReadOnlyList<RuleMessage> Messages => [NoEffect, Blocks];

    protected override IReadOnlyList<string> References => [Rfc8659Properties];

    protected override ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision, CancellationToken cancellationToken)
    {
        if (!decision.Readings.Any(Mistyped))
        {
            return NoFindings;
        }

        return ValueTask.FromResult(Findings(context, set, decision));
    }

    private IEnumerable<Finding> Findings(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision)
    {
        var apex = ZoneApex(context);
        return decision.Readings
            .Where(Mistyped)
            .Select(reading =>
            {
                var meant = CaaTags.LikelyMeant(reading.Data.Tag)!;
                var remediation = new Remediation($"Replace the tag '{reading.Data.Tag}' with '{meant}'",
                [
                    RemediationRecords.Remove(reading.Record, apex),
                    RemediationRecords.Make(RecordAction.Add, reading.Record.Owner, RecordType.CAA, new CaaData(reading.Data.Flags, meant, reading.Data.Value).ToString(), apex),
                ]);
                var (owner, tag, evidence, location) = (Show(reading.Record.Owner), reading.Data.Tag, Evidence([reading.Record]), reading.Record.Location);
                return decision.Permits
                    ? Report(set.Requested, NoEffect, new { owner, tag, meant }, evidence, remediation, location)
                    : Report(set.Requested, Blocks, new { owner, tag, meant, name = Show(set.Requested), ca = Ca(context) }, evidence, remediation, location);
            });
    }

    private static bool Mistyped(PropertyReading reading) => !reading.Data.IsCritical && CaaTags.LikelyMeant(reading.Data.Tag) is not null;
}
