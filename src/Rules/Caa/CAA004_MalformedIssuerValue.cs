using System.Text.RegularExpressions;
using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Caa;

/// <summary>An issue or issuewild value that does not follow the RFC 8659 §4.2 grammar, and so authorises nobody.</summary>
public sealed partial class CAA004_MalformedIssuerValue : CaaRule
{
    protected override string Id => "CAA004";

    protected override string Title => "A CAA issuer value is malformed and authorises nobody";

    protected override Severity DefaultSeverity => Severity.Warning;

    protected override string Summary =>
        "The value of an 'issue' or 'issuewild' property does not follow RFC 8659 §4.2 (a trailing dot, quotes inside the value, the whole record pasted into the value field, a bad parameter). A CA reads such a value as naming no CA at all.";

    private const string Breaks =
        "The value \"{value}\" of the '{tag}' record at {owner} breaks the CAA grammar{atCharacter}: {error}.{hint} " +
        "A CA treats a malformed value as naming no CA, so this record authorises nobody";

    /// <summary>The record is of the kind that decides for the name ('issue', or 'issuewild' for a wildcard).</summary>
    private static readonly RuleMessage Malformed = new("malformed", Severity.Warning, Breaks + "; the other records of the set decide for {name}.");

    /// <summary>The record is of the other kind ('issuewild' for a name that is not a wildcard, say): it would not decide anyway.</summary>
    private static readonly RuleMessage MalformedNotApplicable = new("malformed-not-applicable", Severity.Warning, Breaks + ".");

    protected override IReadOnlyList<RuleMessage> Messages => [Malformed, MalformedNotApplicable];

    protected override IReadOnlyList<string> References => [Rfc8659Issue, AcmCaa];

    protected override ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision, CancellationToken cancellationToken)
    {
        if (!decision.Readings.Any(IsMalformed))
        {
            return NoFindings;
        }

        return ValueTask.FromResult(Findings(context, set, decision));
    }

    private IEnumerable<Finding> Findings(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision)
    {
        var apex = ZoneApex(context);
        return decision.Readings.Where(IsMalformed).Select(reading =>
        {
            var value = reading.Value!;
            var position = value.ErrorIndex + 1;
            var atCharacter = value.Raw.Length == 0 ? "" : $" at character {position} ('{value.Raw[value.ErrorIndex]}')";
            var hint = Hint(value.Raw);
            var corrected = Corrected(value.Raw);
            Remediation? remediation = corrected is null
                ? null
                : new Remediation($"Replace the record with one whose value is \"{corrected}\"",
                [
                    RemediationRecords.Remove(reading.Record, apex),
                    RemediationRecords.Make(RecordAction.Add, reading.Record.Owner, RecordType.CAA,
                        new CaaData(reading.Data.Flags, reading.Data.Tag.ToLowerInvariant(), corrected).ToString(), apex),
                ]);
            var (tag, owner, evidence, location) = (reading.Data.Tag, Show(reading.Record.Owner), Evidence([reading.Record]), reading.Record.Location);
            return reading.Applies
                ? Report(set.Requested, Malformed, new { value = value.Raw, tag, owner, atCharacter, error = value.Error, hint, name = Show(set.Requested) }, evidence, remediation, location)
                : Report(set.Requested, MalformedNotApplicable, new { value = value.Raw, tag, owner, atCharacter, error = value.Error, hint }, evidence, remediation, location);
        });
    }

    private static string Hint(string raw) => PastedRecord().IsMatch(raw)
        ? " It looks like the whole record (flags, tag and value) was typed into the value field; the field wants only the CA's name."
        : raw.Contains('"', StringComparison.Ordinal)
            ? " The value field should hold the CA's name without quotes; the provider adds them."
            : "";

    /// <summary>The value the person most likely meant, when it can be told: the inner value of a pasted record, quotes and final dot removed.</summary>
    internal static string? Corrected(string raw)
    {
        var pasted = PastedRecord().Match(raw);
        var candidate = (pasted.Success ? pasted.Groups["value"].Value : raw).Trim().Trim('"').Trim();
        candidate = candidate.Contains(';', StringComparison.Ordinal) ? candidate : candidate.TrimEnd('.');
        var reparsed = IssuerValue.Parse(candidate);
        return reparsed.IsValid && candidate != raw ? candidate : null;
    }

    [GeneratedRegex("""^\s*\d+\s+(issue|issuewild)\s+"?(?<value>[^"]*)"?\s*$""", RegexOptions.IgnoreCase)]
    private static partial Regex PastedRecord();

    private static bool IsMalformed(PropertyReading reading) => reading.Value is { IsValid: false };
}
