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

    protected override IReadOnlyList<string> References => [Rfc8659Issue, AcmCaa];

    protected override ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision, CancellationToken cancellationToken)
    {
        var apex = ZoneApex(context);
        var findings = decision.Readings.Where(r => r.Value is { IsValid: false }).Select(reading =>
        {
            var value = reading.Value!;
            var position = value.ErrorIndex + 1;
            var at = value.Raw.Length == 0 ? "" : $" at character {position} ('{value.Raw[value.ErrorIndex]}')";
            var hint = Hint(value.Raw);
            var corrected = Corrected(value.Raw);
            var message =
                $"The value \"{value.Raw}\" of the '{reading.Data.Tag}' record at {Show(reading.Record.Owner)} breaks the CAA grammar{at}: {value.Error}.{hint} " +
                "A CA treats a malformed value as naming no CA, so this record authorises nobody" +
                (reading.Applies ? $"; the other records of the set decide for {Show(set.Requested)}." : ".");
            Remediation? remediation = corrected is null
                ? null
                : new Remediation($"Replace the record with one whose value is \"{corrected}\"",
                [
                    RemediationRecords.Remove(reading.Record, apex),
                    RemediationRecords.Make(RecordAction.Add, reading.Record.Owner, RecordType.CAA,
                        new CaaData(reading.Data.Flags, reading.Data.Tag.ToLowerInvariant(), corrected).ToString(), apex),
                ]);
            return Report(set.Requested, message, Evidence([reading.Record]), remediation, reading.Record.Location);
        });
        return ValueTask.FromResult(findings);
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
}
