using System.Diagnostics;
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

    /// <summary>The clock diagnoses are timed by (a fixed one in tests).</summary>
    public TimeProvider Clock => _clock;

    /// <summary>
    /// Told of every rule that threw (its ID and the exception), so the operator sees what the report only
    /// calls inconclusive. The host logs it; the engine itself has no logger.
    /// </summary>
    public Action<string, Exception>? RuleFailed { get; init; }

    /// <summary>How many findings each rule may report, and how echoed text is cut short (<see cref="FindingLimits"/>).</summary>
    public FindingLimits Limits { get; init; } = FindingLimits.Default;

    /// <param name="provider">
    /// The provider whose forms the fixes follow, when it is still being found out while the rules run (a
    /// live diagnosis reads it from the delegation); the subject's own when null. The rules never see it:
    /// only the forms and the plain answers, made after them, do.
    /// </param>
    public async Task<DiagnosisReport> RunAsync(DiagnosisContext context, string source, TimeSpan deadline, CancellationToken cancellationToken,
        Task<DnsProvider>? provider = null)
    {
        var started = _clock.GetTimestamp();
        context.Clock = _clock;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);

        var rules = _catalog.Rules.Where(rule => context.Profile.IsEnabled(rule.Metadata.Id) && rule.AppliesTo(context)).ToList();
        var families = await Task.WhenAll(rules.GroupBy(rule => rule.Metadata.Family, StringComparer.Ordinal)
            .Select(family => RunFamily(family.Key, family.ToList(), context, deadline, timeout.Token))).ConfigureAwait(false);
        var results = families.SelectMany(family => family).ToList();
        cancellationToken.ThrowIfCancellationRequested();

        // Everything after the rules is linear in their findings (or n log n, the sort), and the costly
        // steps — remediation hosts, provider forms, visibility — only see the findings that are reported.
        // ZONE findings describe the zone text, not whether ACM may issue for a name: they do not block a
        // name, but a zone that did not parse cleanly cannot vouch for one either.
        var zoneHasErrors = context.Zone?.Parsed.HasErrors ?? false;
        var nameRules = rules.Where(rule => rule.Metadata.Family != ZoneFamily).Select(rule => rule.Metadata.Id).ToHashSet(StringComparer.Ordinal);
        var all = results.SelectMany(list => list).ToList();
        var forms = provider is null ? context.Subject.Provider : await Provider(provider, context.Subject.Provider, timeout.Token).ConfigureAwait(false);
        // The plain answers read every finding, as the verdicts do, before repeats are merged and the report is capped.
        var names = PlainAnswer.ForAll(NameVerdicts.Of(context.Subject.Names.Select(name => name.Text), all, nameRules.Contains, zoneHasErrors),
            all, forms, context.Subject.CaName);
        var sorted = FindingLimits.MergeRepeated(all)
            .OrderBy(f => f.Severity)
            .ThenBy(f => f.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ThenBy(f => f.Location?.Line ?? 0)
            .ThenBy(f => f.Location?.Column ?? 0)
            .ToList();
        cancellationToken.ThrowIfCancellationRequested();
        var reported = Limits.Cap(sorted, out var truncated);

        var found = await RemediationHosts.FillAsync(context, reported.Select(FindingLimits.CutShort).ToList(), timeout.Token).ConfigureAwait(false);
        var findings = found
            .Select(f => f.Remediation is { } remedy
                ? f with { Remediation = remedy with { Records = remedy.Records.Select(r => r with { Form = ProviderForms.For(forms, r) }).ToList() } }
                : f)
            .ToList();
        findings = await FixVisibility.EstimateAsync(context, findings, timeout.Token).ConfigureAwait(false);
        return new DiagnosisReport(source, names, findings, rules.Select(rule => rule.Metadata.Id).ToList(), (long)_clock.GetElapsedTime(started).TotalMilliseconds,
            context.Zone is { } zone ? Summarise(zone) : null)
        {
            Truncated = truncated,
        };
    }

    /// <summary>The provider still being found out, waited for no longer than the diagnosis's deadline; the subject's own when it is not found by then.</summary>
    private static async Task<DnsProvider> Provider(Task<DnsProvider> found, DnsProvider otherwise, CancellationToken deadline)
    {
        try
        {
            return await found.WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return otherwise;
        }
    }

    /// <summary>A family's rules, all at once, under one span of the diagnosis's trace.</summary>
    private async Task<IReadOnlyList<Finding>[]> RunFamily(string family, List<IRule> rules, DiagnosisContext context, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var span = RulesTelemetry.Source.StartActivity("rules " + family);
        span?.SetTag("rulesapi.rule.family", family);
        span?.SetTag("rulesapi.rule.count", rules.Count);
        return await Task.WhenAll(rules.Select(rule => RunRule(rule, context, deadline, cancellationToken))).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<Finding>> RunRule(IRule rule, DiagnosisContext context, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        Task<IReadOnlyList<Finding>>? evaluating = null;
        try
        {
            // On the thread pool, so one rule's synchronous work does not delay the start of the others; and waited for
            // no longer than the deadline, so a rule busy with synchronous work that has not looked at the token yet does
            // not hold the answer back (the request's deadline is a promise to the caller). It stops at its next look,
            // and what it returns then is dropped.
            evaluating = Task.Run(() => rule.EvaluateAsync(context, cancellationToken).AsTask(), cancellationToken);
            var findings = await evaluating.WaitAsync(cancellationToken).ConfigureAwait(false);
            return findings.Select(f => f with { Severity = context.Profile.SeverityOf(f.RuleId, f.MessageId, f.Severity) }).ToList();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Still running past the deadline: whatever becomes of it is observed, never thrown at the finalizer.
            evaluating?.ContinueWith(static late => _ = late.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return Failed(rule, context, $"the rule did not finish within the diagnosis deadline of {deadline.TotalSeconds:0.#} s");
        }
#pragma warning disable CA1031 // A faulty rule (a plugin, say) must not take the diagnosis down with it.
        catch (Exception error)
#pragma warning restore CA1031
        {
            RuleFailed?.Invoke(rule.Metadata.Id, error);
            return Failed(rule, context, $"the rule failed ({error.GetType().Name}: {error.Message})");
        }
        finally
        {
            RulesTelemetry.RuleRan(rule.Metadata, Stopwatch.GetElapsedTime(started));
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

    private static ZoneSummary Summarise(ZoneInput zone) => new(
        zone.Data.Apex.Text,
        zone.Parsed.RecordCount,
        zone.Parsed.LineCount,
        zone.Parsed.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error));
}
