using RulesApi.Dns.Names;
using RulesApi.Dns.Views;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Fixtures;

/// <summary>Diagnoses a named offline scenario through its fixture view, as a live diagnosis would run.</summary>
public sealed class FixtureDiagnosis
{
    private readonly RuleEngine _engine;

    public FixtureDiagnosis(RuleEngine engine)
    {
        _engine = engine;
    }

    /// <summary>The scenario's own names and validation records, unless the request gives names of its own.</summary>
    public Task<DiagnosisReport> RunAsync(FixtureScenario scenario, IReadOnlyList<DnsName> names, DnsProvider provider, RuleProfile profile,
        TimeSpan deadline, CancellationToken cancellationToken) =>
        RunAsync(scenario, new FixtureView(scenario), names, provider, profile, deadline, cancellationToken);

    /// <summary>The same through another view of the scenario: the live view asking the loopback fixture server, say.</summary>
    public Task<DiagnosisReport> RunAsync(FixtureScenario scenario, IDnsView view, IReadOnlyList<DnsName> names, DnsProvider provider, RuleProfile profile,
        TimeSpan deadline, CancellationToken cancellationToken)
    {
        var subjectNames = names.Count > 0 ? names : scenario.Metadata.Domains.Select(d => DnsName.Parse(d.TrimEnd('.') + ".")).ToList();
        var given = (scenario.Metadata.ValidationRecords ?? [])
            .Select(r => AcmCertificate.TryRecordName(r.Name, out var name, out _) && AcmCertificate.TryRecordName(r.Value, out var value, out _)
                ? (name, value)
                : throw new InvalidDataException($"scenario {scenario.Name}: bad validation record {r.Name}"))
            .ToList();
        var subject = Subject.ForAcm(subjectNames) with
        {
            Validations = ExpectedValidation.Collect(null, given, subjectNames),
            // The scenario's own provider (the one its customer edits at), unless the request names one.
            Provider = provider == DnsProvider.Generic && scenario.Metadata.Provider is { } own && Enum.TryParse<DnsProvider>(own, ignoreCase: true, out var parsed)
                ? parsed
                : provider,
        };
        return _engine.RunAsync(new DiagnosisContext(subject, view, profile: profile), "fixture:" + scenario.Name, deadline, cancellationToken);
    }
}
