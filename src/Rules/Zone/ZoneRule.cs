using RulesApi.Dns.ZoneFiles;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Zone;

/// <summary>The ZONE family: the integrity of zone text. They apply only when the input was a zone.</summary>
public abstract class ZoneRule : Rule
{
    protected const string Rfc1035MasterFiles = "https://www.rfc-editor.org/rfc/rfc1035#section-5";

    protected override string Family => "ZONE";

    /// <summary>How an integrity problem reads: the words of the zone check (<see cref="ZoneProblem.Message"/>), as a sentence.</summary>
    protected const string Problem = "{problem}.";

    public override bool AppliesTo(DiagnosisContext context) => context.Zone is not null;

    public override ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken)
    {
        var found = Check(context.Zone!);
        return ValueTask.FromResult(found as IReadOnlyList<Finding> ?? found.ToList());
    }

    protected abstract IEnumerable<Finding> Check(ZoneInput zone);
}

/// <summary>A ZONE rule that reports the parser's diagnostics of some kinds.</summary>
public abstract class ParserDiagnosticRule : ZoneRule
{
    /// <summary>How a diagnostic reads: where it is, and what the parser says (<see cref="ZoneDiagnostic.Message"/>).</summary>
    protected const string AtLine = "Line {line}, column {column}: {problem}.";

    protected abstract bool Covers(ZoneDiagnostic diagnostic);

    /// <summary>Which of the rule's messages a covered diagnostic is; each has the template <see cref="AtLine"/>.</summary>
    protected abstract RuleMessage MessageFor(ZoneDiagnostic diagnostic);

    /// <remarks>A list made at the first finding: most zones have none of a rule's kind, and then nothing is made.</remarks>
    protected override IEnumerable<Finding> Check(ZoneInput zone)
    {
        List<Finding>? findings = null;
        var diagnostics = zone.Parsed.Diagnostics;
        for (var i = 0; i < diagnostics.Count; i++)
        {
            var d = diagnostics[i];
            if (Covers(d))
            {
                (findings ??= []).Add(Report(zone.Data.Apex, MessageFor(d), new { line = d.Location.Line, column = d.Location.Column, problem = d.Message }, location: d.Location));
            }
        }

        return findings ?? [];
    }
}

/// <summary>A ZONE rule that reports the integrity problems of one kind.</summary>
public abstract class IntegrityProblemRule : ZoneRule
{
    protected abstract ZoneProblemKind Kind { get; }

    /// <summary>Which of the rule's messages a problem is; each has the template <see cref="ZoneRule.Problem"/>.</summary>
    protected abstract RuleMessage MessageFor(ZoneProblem problem);

    /// <remarks>A list made at the first finding: most zones have no problem of a rule's kind, and then nothing is made.</remarks>
    protected override IEnumerable<Finding> Check(ZoneInput zone)
    {
        List<Finding>? findings = null;
        var problems = zone.Problems;
        for (var i = 0; i < problems.Count; i++)
        {
            var p = problems[i];
            if (p.Kind == Kind)
            {
                (findings ??= []).Add(Report(p.Name, MessageFor(p), new { problem = p.Message }, Evidence(p.Records), location: p.Location));
            }
        }

        return findings ?? [];
    }
}
