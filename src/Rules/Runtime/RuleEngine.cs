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
        _ids = new string[catalog.Rules.Count];
        _builtIn = new Rule?[catalog.Rules.Count];
        for (var at = 0; at < catalog.Rules.Count; at++)
        {
            _ids[at] = catalog.Rules[at].Metadata.Id;
            _builtIn[at] = catalog.Rules[at] is Rule { IsBuiltIn: true } builtIn ? builtIn : null;
            if (catalog.Rules[at].Metadata.Family != ZoneFamily)
            {
                _judgesNames[catalog.Rules[at].Metadata.Id] = at;
            }
        }
    }

    /// <summary>
    /// The rules whose findings count towards a name's verdict (all but the ZONE family's), by ID, with their place in the
    /// catalog: made once, where a set of the applicable ones' IDs was made for every diagnosis.
    /// </summary>
    private readonly Dictionary<string, int> _judgesNames = new(StringComparer.Ordinal);

    /// <summary>Each rule's ID, in the catalog's order: read for every rule of every diagnosis, not asked of the rule each time.</summary>
    private readonly string[] _ids;

    /// <summary>
    /// Each built-in rule as the <see cref="Rule"/> class (<see cref="Rule.IsBuiltIn"/>), null for a plugin's: called through the
    /// class, a rule's method is a virtual call, where through <see cref="IRule"/> each call site sees 35 types and goes
    /// through the runtime's slower dispatch for interfaces.
    /// </summary>
    private readonly Rule?[] _builtIn;

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
    /// <param name="deadlineToken">
    /// Cancelled at the same deadline, when the caller already has one (the Diagnoser's, linked to
    /// <paramref name="cancellationToken"/>); the engine makes its own otherwise.
    /// </param>
    public async Task<DiagnosisReport> RunAsync(DiagnosisContext context, string source, TimeSpan deadline, CancellationToken cancellationToken,
        Task<DnsProvider>? provider = null, CancellationToken? deadlineToken = null)
    {
        var started = _clock.GetTimestamp();
        context.Clock = _clock;
        // The caller's deadline token when it has one for the same deadline: a second timer per diagnosis was garbage.
        using var own = deadlineToken is null ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
        own?.CancelAfter(deadline);
        var timeout = own?.Token ?? deadlineToken!.Value;

        var (plan, judgesNames) = Applicable(context);
        var (rules, byFamily) = (plan.Rules, plan.ByFamily);
        var families = RunsInline(context)
            ? await RunOneAfterAnother(byFamily, context, deadline, timeout).ConfigureAwait(false)
            : await RunConcurrently(byFamily, context, deadline, timeout).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        // Everything after the rules is linear in their findings (or n log n, the sort), and the costly
        // steps — remediation hosts, provider forms, visibility — only see the findings that are reported.
        // ZONE findings describe the zone text, not whether ACM may issue for a name: they do not block a
        // name, but a zone that did not parse cleanly cannot vouch for one either.
        var zoneHasErrors = context.Zone?.Parsed.HasErrors ?? false;
        var all = Flattened(families);
        var forms = provider is null ? context.Subject.Provider : await Provider(provider, context.Subject.Provider, timeout).ConfigureAwait(false);
        var sorted = FindingLimits.MergeRepeated(all);
        FindingOrder.Sort(sorted);
        cancellationToken.ThrowIfCancellationRequested();
        var reported = Limits.Cap(sorted, out var truncated);

        var findings = await FixDetails.CompleteAsync(context, reported, forms, timeout).ConfigureAwait(false);
        var subjectNames = NamesOf(context.Subject);
        var changes = await RecordChanges.CollectAsync(context, findings, all, subjectNames, timeout).ConfigureAwait(false);
        // The verdicts read every finding, not only the reported ones; the names listed are the worst up to the cap, and
        // only they get a plain answer, which points at the grouped changes.
        var listed = NameVerdicts.Listed(NameVerdicts.Of(subjectNames, all, judgesNames, zoneHasErrors), Limits.Names, out var namesTruncated);
        var names = PlainAnswer.ForAll(listed, all, forms, context.Subject.CaName, changes);
        return new DiagnosisReport(source, names, findings, plan.Ids, (long)_clock.GetElapsedTime(started).TotalMilliseconds,
            context.Zone is { } zone ? Summarise(zone) : null)
        {
            Truncated = truncated,
            NamesTruncated = namesTruncated,
            Changes = changes,
        };
    }

    /// <summary>The plans made last (<see cref="PlansKept"/> at most, the newest first): a new array replaces the old, never changed in place.</summary>
    private volatile KnownPlan[] _plans = [];

    /// <summary>
    /// A plan, with the test of which rules' findings count towards a name's verdict under it (the rules it runs, but the
    /// ZONE family's): made with the plan, where a closure and a delegate were made for every diagnosis.
    /// </summary>
    private sealed record KnownPlan(RulePlan Plan, Func<string, bool> JudgesNames);

    /// <summary>
    /// More than the kinds of diagnosis one engine sees under its profile (zone text with and without names or validations,
    /// zone audit, fixture, live with and without a zone...): a found plan is not moved to the front, so a service whose
    /// requests rotate over more kinds than this would make a plan for every diagnosis (the cost from before plans were kept).
    /// A lookup compares one flag per rule with each plan kept: well under a microsecond for 16.
    /// </summary>
    private const int PlansKept = 16;

    /// <summary>
    /// The enabled rules that apply: asked of every rule for every diagnosis (the answer depends on the context), then
    /// the plan already made for the same rules, or a new one.
    /// </summary>
    private KnownPlan Applicable(DiagnosisContext context)
    {
        var count = _catalog.Rules.Count;
        Span<bool> applied = count <= 256 ? stackalloc bool[count] : new bool[count];
        for (var index = 0; index < count; index++)
        {
            applied[index] = context.Profile.IsEnabled(_ids[index]) && (_builtIn[index]?.AppliesTo(context) ?? _catalog.Rules[index].AppliesTo(context));
        }

        var plans = _plans;
        foreach (var known in plans)
        {
            if (known.Plan.Matches(applied))
            {
                return known;
            }
        }

        var plan = RulePlan.Of(_catalog.Rules, applied);
        var made = new KnownPlan(plan, ruleId => _judgesNames.TryGetValue(ruleId, out var at) && plan.Runs(at));
        _plans = [made, .. plans.AsSpan(0, Math.Min(plans.Length, PlansKept - 1))];
        return made;
    }

    /// <summary>The subject's names as text, in an array filled by a loop (a projection's iterator and list were garbage of every diagnosis).</summary>
    private static string[] NamesOf(Facts.Subject subject)
    {
        var names = new string[subject.Names.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = subject.Names[i].Text;
        }

        return names;
    }

    /// <summary>Every rule's findings in one list, in the rules' order, sized once.</summary>
    private static List<Finding> Flattened(IReadOnlyList<Finding>[] perRule)
    {
        var count = 0;
        foreach (var findings in perRule)
        {
            count += findings.Count;
        }

        var all = new List<Finding>(count);
        foreach (var findings in perRule)
        {
            all.AddRange(findings);
        }

        return all;
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

    /// <summary>
    /// Zone records up to which an offline diagnosis runs its rules one after another on one thread. Above
    /// it, a zone audit spreads its rules over the cores: one request's wall time matters more than the
    /// thread pool's overhead when each rule reads a large zone.
    /// </summary>
    public const int InlineRecordLimit = 5_000;

    /// <summary>
    /// True when the rules need not go through the thread pool one by one: every answer comes from memory and the zone
    /// (if any) is small, so each rule is a few microseconds of work, and spreading 35 of them over threads
    /// cost far more than the rules themselves (most of a fixture diagnosis's CPU went to the pool's
    /// spinning and hand-offs, and it capped the service's throughput).
    /// </summary>
    private static bool RunsInline(DiagnosisContext context) =>
        context.View.AnswersFromMemory && (context.Zone?.Parsed.RecordCount ?? 0) <= InlineRecordLimit;

    /// <summary>Each family's rules on the thread pool, all at once.</summary>
    /// <remarks>Apart from <see cref="RunAsync"/>: its lambda uses the context and the deadline, and made a closure for every diagnosis, inline ones included.</remarks>
    private async Task<IReadOnlyList<Finding>[]> RunConcurrently(IReadOnlyList<(string Family, IReadOnlyList<IRule> Rules)> families, DiagnosisContext context, TimeSpan deadline,
        CancellationToken cancellationToken) =>
        [.. (await Task.WhenAll(families.Select(family => RunFamily(family.Family, family.Rules, context, deadline, cancellationToken))).ConfigureAwait(false)).SelectMany(rules => rules)];

    /// <summary>A family's rules, all at once, under one span of the diagnosis's trace.</summary>
    private async Task<IReadOnlyList<Finding>[]> RunFamily(string family, IReadOnlyList<IRule> rules, DiagnosisContext context, TimeSpan deadline,
        CancellationToken cancellationToken)
    {
        using var span = FamilySpan(family, rules.Count);
        return await Task.WhenAll(rules.Select(rule => RunRule(rule, context, deadline, inline: false, cancellationToken).AsTask())).ConfigureAwait(false);
    }

    private static Activity? FamilySpan(string family, int count)
    {
        // The span's name is made only for a listener: made first, it was a string per family on every diagnosis.
        if (!RulesTelemetry.Source.HasListeners())
        {
            return null;
        }

        var span = RulesTelemetry.Source.StartActivity("rules " + family);
        span?.SetTag("rulesapi.rule.family", family);
        span?.SetTag("rulesapi.rule.count", count);
        return span;
    }

    /// <summary>
    /// Every rule one after another, family by family. When every rule is built in (each looks at the token as it
    /// goes), on the caller's thread; a rule started after the deadline reports not done. Otherwise on one thread-pool
    /// thread (one hand-off per diagnosis instead of one per rule), waited for no longer than the deadline, so a rule
    /// busy with work that ignores the token cannot hold the answer back: the rules not finished by then are reported
    /// as not done, and whatever they return later is dropped.
    /// </summary>
    /// <remarks>
    /// A ValueTask, and no lambda here (<see cref="RunAll"/> is a method of its own, handed to the pool in <see cref="OnOneThread"/>):
    /// one after another, the rules complete at once, and a Task and a closure per diagnosis were garbage.
    /// </remarks>
    private async ValueTask<IReadOnlyList<Finding>[]> RunOneAfterAnother(IReadOnlyList<(string Family, IReadOnlyList<IRule> Rules)> families, DiagnosisContext context,
        TimeSpan deadline, CancellationToken cancellationToken)
    {
        // One place per rule, family after family (one array, where an array per family and one of them were made).
        var results = new IReadOnlyList<Finding>?[RuleCount(families)];
        try
        {
            // Only built-in rules: on this thread, with no hand-off at all (under load, the hand-off to the pool and
            // back cost more CPU than a fixture's rules). Each stops at its next look at the token past the deadline.
            await (_catalog.EveryRuleBuiltIn
                ? RunAll(families, results, context, deadline, cancellationToken)
                : OnOneThread(families, results, context, deadline, cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The deadline (or the caller) came first: what finished is kept, the rest is reported as not done.
        }

        // On the pool, copied, not read in place: a rule still running may write its late result afterwards. On this
        // thread every rule has returned by now, and the results are completed where they are (no second array).
        var reported = _catalog.EveryRuleBuiltIn ? results : new IReadOnlyList<Finding>?[results.Length];
        var at = 0;
        for (var f = 0; f < families.Count; f++)
        {
            for (var r = 0; r < families[f].Rules.Count; r++, at++)
            {
                reported[at] = Volatile.Read(ref results[at]) ?? Failed(families[f].Rules[r], context, Late(deadline));
            }
        }

        return reported!;
    }

    private static int RuleCount(IReadOnlyList<(string Family, IReadOnlyList<IRule> Rules)> families)
    {
        var count = 0;
        for (var f = 0; f < families.Count; f++)
        {
            count += families[f].Rules.Count;
        }

        return count;
    }

    /// <summary>Every rule one after another, each one's findings written to its place in <paramref name="results"/> as it ends.</summary>
    private async Task RunAll(IReadOnlyList<(string Family, IReadOnlyList<IRule> Rules)> families, IReadOnlyList<Finding>?[] results, DiagnosisContext context,
        TimeSpan deadline, CancellationToken cancellationToken)
    {
        var at = 0;
        for (var f = 0; f < families.Count; f++)
        {
            using var span = FamilySpan(families[f].Family, families[f].Rules.Count);
            for (var r = 0; r < families[f].Rules.Count; r++, at++)
            {
                var findings = await RunRule(families[f].Rules[r], context, deadline, inline: true, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref results[at], findings);
            }
        }
    }

    /// <summary><see cref="RunAll"/> on one thread-pool thread, waited for no longer than the deadline.</summary>
    private Task OnOneThread(IReadOnlyList<(string Family, IReadOnlyList<IRule> Rules)> families, IReadOnlyList<Finding>?[] results, DiagnosisContext context,
        TimeSpan deadline, CancellationToken cancellationToken) =>
        Task.Run(() => RunAll(families, results, context, deadline, cancellationToken), CancellationToken.None).WaitAsync(cancellationToken);

    private static string Late(TimeSpan deadline) => $"the rule did not finish within the diagnosis deadline of {deadline.TotalSeconds:0.#} s";

    /// <remarks>
    /// A ValueTask: run one after another, nearly every rule completes at once, and a Task per rule was garbage. Such a
    /// rule's findings are taken here, without the machinery of an async method (which showed in a fixture's profile,
    /// once per rule); a rule that is still running, or failed, goes on in <see cref="RunRuleAsync"/>.
    /// </remarks>
    private ValueTask<IReadOnlyList<Finding>> RunRule(IRule rule, DiagnosisContext context, TimeSpan deadline, bool inline, CancellationToken cancellationToken)
    {
        if (!inline || RulesTelemetry.TimesRules || cancellationToken.IsCancellationRequested)
        {
            return RunRuleAsync(rule, context, deadline, inline, cancellationToken);
        }

        ValueTask<IReadOnlyList<Finding>> evaluating;
        try
        {
            evaluating = Evaluate(rule, context, cancellationToken);
        }
#pragma warning disable CA1031 // Thrown at once (a plugin's rule that is not an async method): handled as if it had come from awaiting it.
        catch (Exception error)
#pragma warning restore CA1031
        {
            evaluating = ValueTask.FromException<IReadOnlyList<Finding>>(error);
        }

        if (!evaluating.IsCompletedSuccessfully)
        {
            return RunRuleAsync(rule, context, deadline, inline, cancellationToken, evaluating);
        }

        var findings = evaluating.Result;
        try
        {
            return new ValueTask<IReadOnlyList<Finding>>(WithProfileSeverities(findings, context.Profile));
        }
#pragma warning disable CA1031 // What the rule answered cannot be read (a plugin's null list): handled where every failure of a rule is.
        catch (Exception)
#pragma warning restore CA1031
        {
            // Read again there, inside the rule's try; the answer is passed on as a value (a ValueTask is consumed once).
            return RunRuleAsync(rule, context, deadline, inline, cancellationToken, new ValueTask<IReadOnlyList<Finding>>(findings));
        }
    }

    private static ValueTask<IReadOnlyList<Finding>> Evaluate(IRule rule, DiagnosisContext context, CancellationToken cancellationToken) =>
        rule is Rule { IsBuiltIn: true } builtIn ? builtIn.EvaluateAsync(context, cancellationToken) : rule.EvaluateAsync(context, cancellationToken);

    /// <param name="started">The rule's evaluation when <see cref="RunRule"/> started it already; it is awaited, not started again.</param>
    private async ValueTask<IReadOnlyList<Finding>> RunRuleAsync(IRule rule, DiagnosisContext context, TimeSpan deadline, bool inline, CancellationToken cancellationToken,
        ValueTask<IReadOnlyList<Finding>>? started = null)
    {
        var startedAt = RulesTelemetry.TimesRules ? Stopwatch.GetTimestamp() : 0;
        Task<IReadOnlyList<Finding>>? evaluating = null;
        try
        {
            IReadOnlyList<Finding> findings;
            if (started is { } running)
            {
                findings = await running.ConfigureAwait(false);
            }
            else if (inline)
            {
                // One after another on this thread: a rule started after the deadline reports inconclusive, as a
                // late concurrent one would. (Offline and small: each rule is microseconds of work.)
                cancellationToken.ThrowIfCancellationRequested();
                findings = await Evaluate(rule, context, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // On the thread pool, so one rule's synchronous work does not delay the start of the others; and waited for
                // no longer than the deadline, so a rule busy with synchronous work that has not looked at the token yet does
                // not hold the answer back (the request's deadline is a promise to the caller). It stops at its next look,
                // and what it returns then is dropped.
                evaluating = OnThePool(rule, context, cancellationToken);
                findings = await evaluating.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            return WithProfileSeverities(findings, context.Profile);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Still running past the deadline: whatever becomes of it is observed, never thrown at the finalizer.
            evaluating?.ContinueWith(static late => _ = late.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return Failed(rule, context, Late(deadline));
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
            if (startedAt != 0)
            {
                RulesTelemetry.RuleRan(rule.Metadata, Stopwatch.GetElapsedTime(startedAt));
            }
        }
    }

    /// <remarks>Apart from <see cref="RunRule"/>, so that the closure is made only for a rule that goes to the pool, not for every rule.</remarks>
    private static Task<IReadOnlyList<Finding>> OnThePool(IRule rule, DiagnosisContext context, CancellationToken cancellationToken) =>
        Task.Run(() => rule.EvaluateAsync(context, cancellationToken).AsTask(), cancellationToken);

    /// <summary>The findings with the severities the profile sets; the same list when it changes none (the usual case).</summary>
    private static IReadOnlyList<Finding> WithProfileSeverities(IReadOnlyList<Finding> findings, RuleProfile profile)
    {
        List<Finding>? changed = null;
        for (var i = 0; i < findings.Count; i++)
        {
            var finding = findings[i];
            var severity = profile.SeverityOf(finding.RuleId, finding.MessageId, finding.Severity);
            if (severity != finding.Severity && changed is null)
            {
                changed = new List<Finding>(findings.Count);
                for (var j = 0; j < i; j++)
                {
                    changed.Add(findings[j]);
                }
            }

            changed?.Add(severity == finding.Severity ? finding : finding with { Severity = severity });
        }

        return changed ?? findings;
    }

    /// <summary>
    /// The one finding that says the rule could not be checked. It holds for every name of the diagnosis, so it
    /// is made once, named after the first of them (as merging one copy per name would), and the verdicts count it
    /// for each: an audit of 400k owners cut at its deadline once made 400k copies per rule, and spent more time
    /// on them than the deadline it had kept.
    /// </summary>
    private static List<Finding> Failed(IRule rule, DiagnosisContext context, string why) =>
    [
        new Finding
        {
            RuleId = rule.Metadata.Id,
            Severity = Severity.Notice,
            Name = context.Zone?.Data.Apex.Text ?? ".",
            Title = rule.Metadata.Title,
            Message = $"{rule.Metadata.Id} could not be checked: {why}.",
            HelpUri = rule.Metadata.HelpUri,
            References = rule.Metadata.References,
            Inconclusive = true,
        }.ForEveryName(context.Subject.Names),
    ];

    private static ZoneSummary Summarise(ZoneInput zone) => new(
        zone.Data.Apex.Text,
        zone.Parsed.RecordCount,
        zone.Parsed.LineCount,
        zone.Parsed.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error));
}
