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

    public override ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<Finding>>(Check(context.Zone!).ToList());

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

    protected override IEnumerable<Finding> Check(ZoneInput zone) =>
        zone.Parsed.Diagnostics.Where(Covers).Select(d => Report(zone.Data.Apex, MessageFor(d),
            new { line = d.Location.Line, column = d.Location.Column, problem = d.Message }, location: d.Location));
}

/// <summary>A ZONE rule that reports the integrity problems of one kind.</summary>
public abstract class IntegrityProblemRule : ZoneRule
{
    protected abstract ZoneProblemKind Kind { get; }

    /// <summary>Which of the rule's messages a problem is; each has the template <see cref="ZoneRule.Problem"/>.</summary>
    protected abstract RuleMessage MessageFor(ZoneProblem problem);

    protected override IEnumerable<Finding> Check(ZoneInput zone) =>
        zone.Problems.Where(p => p.Kind == Kind).Select(p => Report(p.Name, MessageFor(p), new { problem = p.Message },
            Evidence(p.Records),
            location: p.Location));
}
