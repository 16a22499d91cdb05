using System.Globalization;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Report;

/// <summary>
/// Works out, for each proposed fix, when it will be visible everywhere at the latest: resolvers that
/// asked before keep their answer for its TTL — the records' own for a record being changed or removed,
/// min(SOA TTL, SOA MINIMUM) for a name or type that did not exist (RFC 2308 §5). The current answers
/// come from the diagnosis's own view, so nothing is asked twice.
/// </summary>
public static class FixVisibility
{
    public static async Task<List<Finding>> EstimateAsync(DiagnosisContext context, List<Finding> findings, CancellationToken cancellationToken)
    {
        // Whole seconds, rounded up: the estimate is a "latest" time.
        var clock = context.Clock.GetUtcNow();
        var now = new DateTimeOffset(clock.Ticks - clock.Ticks % TimeSpan.TicksPerSecond, clock.Offset).AddSeconds(clock.Ticks % TimeSpan.TicksPerSecond == 0 ? 0 : 1);
        var result = new List<Finding>(findings.Count);
        foreach (var finding in findings)
        {
            if (finding.Remediation is not { Records.Count: > 0 } remedy || cancellationToken.IsCancellationRequested)
            {
                result.Add(finding);
                continue;
            }

            var visibility = await EstimateAsync(context, remedy.Records, now, cancellationToken).ConfigureAwait(false);
            result.Add(visibility is null ? finding : finding with { Remediation = remedy with { VisibleBy = visibility } });
        }

        return result;
    }

    private static async Task<Visibility?> EstimateAsync(DiagnosisContext context, IReadOnlyList<RemediationRecord> records, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        uint longest = 0;
        (DnsName Name, RecordType Type, AnswerStatus Status)? slowest = null;
        foreach (var record in records)
        {
            if (!DnsName.TryParse(record.Name, out var name, out _) || !RecordType.TryParse(record.Type, out var type))
            {
                return null;
            }

            DnsAnswer answer;
            try
            {
                answer = await context.View.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            // Without the current answer there is no telling how long caches hold it.
            if (answer.CacheTtl is not { } ttl)
            {
                return null;
            }

            if (ttl >= longest)
            {
                longest = ttl;
                slowest = (name, type, answer.Status);
            }
        }

        // The reason is written for the record that takes longest only (the others' would be thrown away).
        var because = slowest is not { } last
            ? null
            : last.Status == AnswerStatus.Answer
                ? $"resolvers may keep the current {last.Type} answer for {Show(last.Name)} for up to its TTL of {Duration(longest)}"
                : $"resolvers that asked for {Show(last.Name)} before may keep the answer \"{(last.Status == AnswerStatus.NameError ? "no such name" : "no such record")}\" for up to the zone's negative-caching TTL of {Duration(longest)} (the lower of the SOA's TTL and MINIMUM)";
        var at = now.AddSeconds(longest);
        return new Visibility(at, longest, $"Once changed, visible everywhere by {at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)} at the latest: {because}.");
    }

    private static string Show(DnsName name) => name.IsRoot ? "." : name.Text[..^1];

    /// <summary>Seconds as a person reads them: "300 s (5 min)", "86400 s (24 h)".</summary>
    public static string Duration(uint seconds) => seconds switch
    {
        < 60 => $"{seconds} s",
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{seconds} s ({seconds / 60.0:0.#} min)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds} s ({seconds / 3600.0:0.#} h)"),
    };
}
