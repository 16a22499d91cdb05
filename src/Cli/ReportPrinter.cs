using System.Globalization;
using System.Text.Json;
using RulesApi.Acm;
using RulesApi.Rules.Report;

namespace RulesApi.Cli;

/// <summary>
/// Prints a report: first a verdict per name with its plain answer, then each record to change once, then the findings the way compilers
/// print diagnostics — <c>file:line:column: severity RULE name: message</c>, so editors and CI annotate the
/// line — each followed by its evidence and fix. Or the report as the API's JSON.
/// </summary>
public static class ReportPrinter
{
    /// <summary>The report exactly as the API sends it.</summary>
    public static void PrintJson(DiagnosisReport report, TextWriter output) => output.WriteLine(ReportJson.Serialize(report));

    /// <param name="file">The zone file's path as given, for the location prefix; null when no file was read.</param>
    public static void PrintText(DiagnosisReport report, string? file, TextWriter output)
    {
        // The plain answer first: each name's verdict and the sentence a non-expert reads; then the details.
        foreach (var name in report.Names)
        {
            output.WriteLine($"{name.Name}  {JsonNamingPolicy.KebabCaseLower.ConvertName(name.Verdict.ToString())}");
            if (name.Answer is { } answer)
            {
                output.WriteLine($"    {answer}");
            }
        }

        if (report.NamesTruncated is { } more)
        {
            output.WriteLine($"... and {more.Omitted} more names not listed ({more.ByVerdict()}; --max-names 0 lists them all)");
        }

        PrintChanges(report.Changes, output);

        foreach (var finding in report.Findings)
        {
            var where = (file, finding.Location) switch
            {
                ({ } path, { } at) => string.Create(CultureInfo.InvariantCulture, $"{path}:{at.Line}:{at.Column}: "),
                ({ } path, null) => $"{path}: ",
                _ => "",
            };
            var severity = JsonNamingPolicy.KebabCaseLower.ConvertName(finding.Severity.ToString());
            var others = finding.NameCount is { } count ? $" (and {count - 1} more names)" : "";
            output.WriteLine($"{where}{severity} {finding.RuleId} {finding.Name}{others}: {finding.Message}{(finding.Inconclusive ? " (inconclusive)" : "")}");
            foreach (var line in finding.Evidence)
            {
                output.WriteLine($"    {line}");
            }

            if (finding.Remediation is { } fix)
            {
                output.WriteLine($"    fix: {fix.Summary}");
                foreach (var record in fix.Records)
                {
                    output.WriteLine($"      {record.Action.ToString().ToLowerInvariant(),-6} {record.ZoneLine}    (Host: {record.Host})");
                }

                if (fix.VisibleBy is { } visible)
                {
                    output.WriteLine($"    {visible.Explanation}");
                }
            }
        }

        foreach (var cut in report.Truncated ?? [])
        {
            output.WriteLine($"{cut.RuleId}: {cut.Omitted} more findings not shown (at most {cut.Reported} per rule; --max-findings-per-rule)");
        }

        var counts = report.Findings.GroupBy(f => f.Severity).OrderBy(g => g.Key)
            .Select(g => $"{JsonNamingPolicy.KebabCaseLower.ConvertName(g.Key.ToString())}: {g.Count()}");
        var zone = report.Zone is { } z ? string.Create(CultureInfo.InvariantCulture, $", zone {z.Origin} ({z.Records} records, {z.Lines} lines)") : "";
        output.WriteLine($"{report.Findings.Count} findings ({string.Join(", ", counts.DefaultIfEmpty("none"))}) from {report.RulesRun.Count} rules{zone}, {report.ElapsedMs} ms");
    }

    /// <summary>
    /// What to change, each record once: the action and the record as a zone-file line, its Host field,
    /// the names it serves, and for a CAA record to add the records that stay. The findings' fixes below
    /// repeat a record for each name it fixes; this is the list to work through.
    /// </summary>
    private static void PrintChanges(IReadOnlyList<RecordChange>? changes, TextWriter output)
    {
        if (changes is not { Count: > 0 })
        {
            return;
        }

        output.WriteLine($"changes ({changes.Count}, each once):");
        foreach (var change in changes)
        {
            output.WriteLine($"  {change.Action.ToString().ToLowerInvariant(),-6} {change.ZoneLine}    (Host: {change.Host})");
            var more = change.NameCount is { } count ? $" and {count - change.Names.Count} more names" : "";
            output.WriteLine($"         for {string.Join(", ", change.Names.Select(n => n.TrimEnd('.')))}{more} ({string.Join(", ", change.RuleIds)})");
            foreach (var kept in change.Keep ?? [])
            {
                output.WriteLine($"         keep   {kept}");
            }
        }
    }

    /// <summary>An account scan as a table: certificate, names, status, verdict, first fix (or why it could not be diagnosed).</summary>
    public static void PrintScan(AccountScanReport report, TextWriter output)
    {
        var rows = report.Certificates.Select(c => new[]
        {
            c.Arn,
            string.Join(",", c.Names.Count > 0 ? c.Names : [c.DomainName ?? ""]),
            c.Status ?? "",
            c.Verdict is { } verdict ? JsonNamingPolicy.KebabCaseLower.ConvertName(verdict.ToString()) : "not-diagnosed",
            c.Problem is { } problem ? $"{problem.Title}: {problem.Detail}" : c.FirstFix is null ? "-" : $"{c.FirstFixRule} {c.FirstFix}",
        }).ToList();
        string[] header = ["certificate", "names", "status", "verdict", "first fix"];
        var widths = Enumerable.Range(0, 4).Select(i => rows.Select(r => r[i].Length).Append(header[i].Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Take(4).Select((cell, i) => cell.PadRight(widths[i])).Append(cells[4]));
        output.WriteLine(Line(header));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{report.Certificates.Count} certificate(s) in {report.Region} with status {string.Join(" or ", report.Statuses)}{(report.Truncated ? $"; more were not listed (raise --max, now {report.MaxCertificates})" : "")}."));
    }
}
