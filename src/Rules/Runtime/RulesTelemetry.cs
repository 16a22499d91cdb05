using System.Diagnostics;
using System.Diagnostics.Metrics;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Report;

namespace RulesApi.Rules.Runtime;

/// <summary>
/// What a diagnosis tells an operator's tracing and metrics, through .NET's own System.Diagnostics (no
/// OpenTelemetry package here: the host decides whether and where to export). A trace per diagnosis with
/// spans for reading the zone and for each rule family; diagnoses counted by source and verdict, and the
/// time each rule and each diagnosis took.
/// </summary>
public static class RulesTelemetry
{
    /// <summary>The name of the ActivitySource and of the Meter (what a host subscribes to).</summary>
    public const string Name = "RulesApi.Rules";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Diagnoses = Meter.CreateCounter<long>("rulesapi.diagnoses", "{diagnosis}",
        "Diagnoses finished, by source (zone-audit, zone, fixture, live) and worst verdict over their names");

    private static readonly Histogram<double> DiagnosisDuration = Meter.CreateHistogram<double>("rulesapi.diagnosis.duration", "s",
        "How long a diagnosis took, by source");

    private static readonly Histogram<double> RuleDuration = Meter.CreateHistogram<double>("rulesapi.rule.duration", "s",
        "How long one rule took in one diagnosis, by rule and family");

    /// <summary>A report's source as a metric tag: "fixture:caa-subdomain-override" counts as "fixture", so the tag's values stay few.</summary>
    public static string SourceTag(string source)
    {
        var colon = source.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? source : colon == FixturePrefix.Length && source.StartsWith(FixturePrefix, StringComparison.Ordinal) ? FixturePrefix : source[..colon];
    }

    private const string FixturePrefix = "fixture";

    /// <remarks>Nothing is worked out for the tags when nothing listens (a service with no metrics exporter).</remarks>
    public static void Diagnosed(DiagnosisReport report, TimeSpan took)
    {
        if (!Diagnoses.Enabled && !DiagnosisDuration.Enabled)
        {
            return;
        }

        var source = new KeyValuePair<string, object?>("source", SourceTag(report.Source));
        Diagnoses.Add(1, source, new KeyValuePair<string, object?>("verdict", WorstVerdict(report)));
        DiagnosisDuration.Record(took.TotalSeconds, source);
    }

    /// <summary>
    /// True when something listens to the rules' durations (a metrics exporter, a benchmark): otherwise a rule is not timed
    /// at all (two clock reads per rule, 70 per fixture diagnosis, were 3% of a fixture request's CPU).
    /// </summary>
    public static bool TimesRules => RuleDuration.Enabled;

    public static void RuleRan(RuleMetadata rule, TimeSpan took) =>
        RuleDuration.Record(took.TotalSeconds, new KeyValuePair<string, object?>("rule", rule.Id), new KeyValuePair<string, object?>("family", rule.Family));

    /// <summary>"blocked", "inconclusive", "at-risk", "ok", or "none" for a diagnosis without names.</summary>
    public static string WorstVerdict(DiagnosisReport report) =>
        report.Names.Count == 0 ? "none" : report.Names.Min(n => n.Verdict) switch
        {
            Verdict.Blocked => "blocked",
            Verdict.Inconclusive => "inconclusive",
            Verdict.AtRisk => "at-risk",
            _ => "ok",
        };
}
