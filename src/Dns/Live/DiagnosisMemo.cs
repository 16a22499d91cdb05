using System.Collections.Concurrent;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;

namespace RulesApi.Dns.Live;

/// <summary>
/// The answers of one diagnosis, each question asked once however many rules ask it: concurrent
/// askers share one task. Nothing outlives the diagnosis, so no TTL is needed.
/// </summary>
internal sealed class DiagnosisMemo
{
    private readonly ConcurrentDictionary<(string, ushort), Lazy<Task<DnsAnswer>>> _answers = new();
    private readonly ConcurrentDictionary<(string, string, ushort), Lazy<Task<ServerAnswer>>> _serverAnswers = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<ZoneServers>>> _zones = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The resolved answer to a question, resolving it the first time.</summary>
    public Task<DnsAnswer> Answer(DnsName name, RecordType type, Func<Task<DnsAnswer>> resolve) =>
        _answers.GetOrAdd((name.Text.ToLowerInvariant(), type.Value), _ => new Lazy<Task<DnsAnswer>>(resolve)).Value;

    /// <summary>One server's answer; <paramref name="server"/> names the server and how it was asked (+rd, +do, +cd).</summary>
    public Task<ServerAnswer> ServerAnswer(string server, DnsName name, RecordType type, Func<Task<ServerAnswer>> ask) =>
        _serverAnswers.GetOrAdd((server, name.Text.ToLowerInvariant(), type.Value), _ => new Lazy<Task<ServerAnswer>>(ask)).Value;

    /// <summary>The zone a name is in and its servers, found the first time.</summary>
    public Task<ZoneServers> Zone(DnsName name, Func<Task<ZoneServers>> find) =>
        _zones.GetOrAdd(name.Text, _ => new Lazy<Task<ZoneServers>>(find)).Value;
}
