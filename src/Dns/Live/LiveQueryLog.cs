using System.Collections.Concurrent;
using System.Diagnostics;

namespace RulesApi.Dns.Live;

/// <summary>
/// The queries of one live diagnosis, in the order they completed, each stamped with when it was sent
/// (milliseconds since the diagnosis began), for the report's audit trail.
/// </summary>
internal sealed class LiveQueryLog
{
    private readonly ConcurrentQueue<QueryLogEntry> _entries = new();
    private readonly Stopwatch _since = Stopwatch.StartNew();

    public IReadOnlyList<QueryLogEntry> Entries => _entries.ToList();

    /// <summary>Adds a completed query; its start is worked back from its duration.</summary>
    public void Record(QueryLogEntry entry)
    {
        _entries.Enqueue(entry with { StartedAtMs = _since.ElapsedMilliseconds - entry.Milliseconds });
        DnsTelemetry.Queried(entry);
    }
}
