namespace RulesApi.Rules.Engine;

/// <summary>
/// A diagnostic rule: a stable ID with metadata, an applicability check, and a pure evaluation over
/// the diagnosis context. Rules do no I/O of their own; they ask <see cref="DiagnosisContext.View"/>.
/// Rule assemblies loaded from configured folders provide more implementations of this interface.
/// </summary>
public interface IRule
{
    RuleMetadata Metadata { get; }

    bool AppliesTo(DiagnosisContext context);

    ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken);
}
