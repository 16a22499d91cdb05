using RulesApi.Dns.ZoneFiles;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Report;

namespace RulesApi.Rules.Runtime;

/// <summary>
/// Runs the enabled, applicable rules of a catalog concurrently over one diagnosis context, within a
/// deadline, and turns their findings into a report. A rule that throws or runs out of time becomes
/// an inconclusive finding: one broken rule never breaks a diagnosis.
/// </summary>
public sealed class RuleEngine
{
    private const string ZoneFamily = "ZONE";

    private readonly RuleCatalog _catalog;
    private readonly TimeProvider _clock;

    public RuleEngine(RuleCatalog catalog, TimeProvider? clock = null)
    {
        _catalog = catalog;
        _clock = clock ?? TimeProvider.System;
    }

    public RuleCatalog Catalog => _catalog;

    /// <summary>
    /// Told of every rule that threw (its ID and the exception), so the operator sees what the report only
    /// calls inconclusive. The host logs it; the engine itself has no logger.
    /// </summary>
    public Action<string, Exception>? RuleFailed { get; init; }

    public async Task<DiagnosisReport> RunAsync(DiagnosisContext context, string source, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var started = _clock.GetTimestamp();
        context.Clock = _clock;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);

        var rules = _catalog.Rules.Where(rule => context.Profile.IsEnabled(rule.Metadata.Id) && rule.AppliesTo(context)).ToList();
        var results = await Task.WhenAll(rules.Select(rule => RunRule(rule, context, deadline, timeout.Token))).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var provider = context.Subject.Provider;
        var found = await RemediationHosts.FillAsync(context, results.SelectMany(list => list).ToList(), timeout.Token).ConfigureAwait(false);
        var findings = found
            .Select(f => f.Remediation is { } remedy
                ? f with { Remediation = remedy with { Records = remedy.Records.Select(r => r with { Form = ProviderForms.For(provider, r) }).ToList() } }
                : f)
            .OrderBy(f => f.Severity)
            .ThenBy(f => f.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ThenBy(f => f.Location?.Line ?? 0)
            .ThenBy(f => f.Location?.Column ?? 0)
            .ToList();
        findings = await FixVisibility.EstimateAsync(context, findings, timeout.Token).ConfigureAwait(false);
        // ZONE findings describe the zone text, not whether ACM may issue for a name: they do not block a
        // name, but a zone that did not parse cleanly cannot vouch for one either (see VerdictFor).
        var zoneHasErrors = context.Zone?.Parsed.HasErrors ?? false;
        var nameRules = rules.Where(rule => rule.Metadata.Family != ZoneFamily).Select(rule => rule.Metadata.Id).ToHashSet(StringComparer.Ordinal);
        var nameFindings = findings.Where(f => nameRules.Contains(f.RuleId)).ToList();
        var names = context.Subject.Names
            .Select(name => new NameVerdict(name.Text, VerdictFor(name.Text, nameFindings, zoneHasErrors)))
            .Select(verdict => verdict with { Answer = PlainAnswer.For(verdict, findings, provider, context.Subject.CaName) })
            .ToList();
        return new DiagnosisReport(source, names, findings, rules.Select(rule => rule.Metadata.Id).ToList(), (long)_clock.GetElapsedTime(started).TotalMilliseconds,
            context.Zone is { } zone ? Summarise(zone) : null);
    }

    private async Task<IReadOnlyList<Finding>> RunRule(IRule rule, DiagnosisContext context, TimeSpan deadline, CancellationToken cancellationToken)
    {
        try
        {
            // Yield first so one rule's synchronous work does not delay the start of the others.
            await Task.Yield();
            var findings = await rule.EvaluateAsync(context, cancellationToken).ConfigureAwait(false);
            return findings.Select(f => f with { Severity = context.Profile.SeverityOf(f.RuleId, f.MessageId, f.Severity) }).ToList();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Failed(rule, context, $"the rule did not finish within the diagnosis deadline of {deadline.TotalSeconds:0.#} s");
        }
#pragma warning disable CA1031 // A faulty rule (a plugin, say) must not take the diagnosis down with it.
        catch (Exception error)
#pragma warning restore CA1031
        {
            RuleFailed?.Invoke(rule.Metadata.Id, error);
            return Failed(rule, context, $"the rule failed ({error.GetType().Name}: {error.Message})");
        }
    }

    private static List<Finding> Failed(IRule rule, DiagnosisContext context, string why)
    {
        var names = context.Subject.Names.Count > 0 ? context.Subject.Names.Select(n => n.Text) : [context.Zone?.Data.Apex.Text ?? "."];
        return names.Select(name => new Finding
        {
            RuleId = rule.Metadata.Id,
            Severity = Severity.Notice,
            Name = name,
            Title = rule.Metadata.Title,
            Message = $"{rule.Metadata.Id} could not be checked: {why}.",
            HelpUri = rule.Metadata.HelpUri,
            References = rule.Metadata.References,
            Inconclusive = true,
        }).ToList();
    }

    /// <summary>Blocked beats inconclusive beats at-risk beats ok. A zone that did not parse cleanly cannot give "ok".</summary>
    public static Verdict VerdictFor(string name, IReadOnlyList<Finding> findings, bool zoneHasErrors)
    {
        var mine = findings.Where(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (mine.Exists(f => f.Severity is Severity.Critical or Severity.Error))
        {
            return Verdict.Blocked;
        }

        if (mine.Exists(f => f.Inconclusive) || zoneHasErrors)
        {
            return Verdict.Inconclusive;
        }

        return mine.Exists(f => f.Severity == Severity.Warning) ? Verdict.AtRisk : Verdict.Ok;
    }

    private static ZoneSummary Summarise(ZoneInput zone) => new(
        zone.Data.Apex.Text,
        zone.Parsed.RecordCount,
        zone.Parsed.LineCount,
        zone.Parsed.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error));
}
