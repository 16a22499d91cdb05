using RulesApi.Rules.Runtime;
namespace RulesApi.Rules.Contract;

/// <summary>
/// A diagnostic rule: a stable ID with metadata, an applicability check, and a pure evaluation over
/// the diagnosis context. Rules do no I/O of their own; they ask <see cref="DiagnosisContext.View"/>.
/// Rule assemblies loaded from configured folders provide more implementations of this interface.
/// </summary>
public interface IRule
{
    RuleMetadata Metadata { get; }

    /// <summary>
    /// The record types the rule reads in a zone audit. An audit keeps in memory only the types some
    /// rule asks for (SOA, NS, CNAME, DNAME, CAA and DS always); of the others it knows just which
    /// names have them (<see cref="Dns.ZoneFiles.ZoneData.Has"/>).
    /// </summary>
    IReadOnlyCollection<Dns.Records.RecordType> AuditRecordTypes => [];

    bool AppliesTo(DiagnosisContext context);

    ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken);
}
