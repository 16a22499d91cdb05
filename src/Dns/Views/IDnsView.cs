using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.Views;

/// <summary>
/// The one seam between rules and the world: every DNS fact a rule uses comes from a view. A zone
/// view answers from zone text, a live view from the network, a fixture view from a named scenario.
/// </summary>
public interface IDnsView
{
    /// <summary>What the answers come from, for the report (e.g. "zone file for example.com.").</summary>
    string Description { get; }

    /// <summary>
    /// True when every answer comes from memory (zone text, a fixture scenario) and nothing waits on the
    /// network. The engine then runs the rules one after another on one thread: spreading a few
    /// microseconds of work per rule over the thread pool costs more than the work, and under load it is
    /// what bounded a service's throughput. Live views keep the default, so slow servers overlap.
    /// </summary>
    bool AnswersFromMemory => false;

    /// <summary>Resolves one question the way a resolver would, following CNAMEs.</summary>
    ValueTask<DnsAnswer> QueryAsync(DnsName name, RecordType type, CancellationToken cancellationToken);
}
