using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace RulesApi.Dns.Live;

/// <summary>
/// What live DNS tells an operator's tracing and metrics, through System.Diagnostics only (the host
/// chooses the exporter): a span per lookup a rule asks for (a wave of queries: the referrals of one
/// resolution, the zone servers of a name, the questions asked ahead), a span per query sent within it,
/// every query counted by outcome and response code, and the shared cache's hits and misses.
/// </summary>
public static class DnsTelemetry
{
    /// <summary>The name of the ActivitySource and of the Meter.</summary>
    public const string Name = "RulesApi.Dns";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Queries = Meter.CreateCounter<long>("rulesapi.dns.queries", "{query}",
        "DNS queries of live diagnoses, by outcome (answered, timeout, not-sent) and response code (NOERROR, NXDOMAIN, SERVFAIL, …; none when no answer came)");

    private static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>("rulesapi.dns.shared_cache.lookups", "{lookup}",
        "Lookups in the cache live diagnoses share (the zones above the customer's), by result (hit, miss) and kind (referral, server-answer, resolved)");

    // Every shared cache alive in the process, for the entries gauge; weak, so a cache no diagnoser uses any more is not kept for it.
    private static readonly ConditionalWeakTable<SharedDnsCache, object?> Caches = new();

    private static readonly ObservableGauge<long> CacheEntries = Meter.CreateObservableGauge("rulesapi.dns.shared_cache.entries",
        () => Caches.Sum(cache => (long)cache.Key.Count), "{entry}", "Entries held now in the caches live diagnoses share (referrals, server answers, resolved answers)");

    /// <summary>Counts the entries of <paramref name="cache"/> in the entries gauge.</summary>
    internal static void Track(SharedDnsCache cache) => Caches.AddOrUpdate(cache, null);

    /// <summary>One lookup in the shared cache: a hit, or a miss (nothing held, or held and expired).</summary>
    internal static void CacheLookup(string kind, bool hit) =>
        CacheLookups.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"), new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Counts one query from its audit-trail entry: its outcome is an rcode name, or "timeout …".</summary>
    internal static void Queried(QueryLogEntry entry)
    {
        var timedOut = entry.Outcome.StartsWith("timeout", StringComparison.Ordinal);
        Queries.Add(1, new KeyValuePair<string, object?>("outcome", timedOut ? "timeout" : "answered"),
            new KeyValuePair<string, object?>("rcode", timedOut ? "none" : entry.Outcome));
    }

    /// <summary>A question not sent: the address is refused, or the diagnosis's query budget is spent.</summary>
    internal static void NotSent(string why) =>
        Queries.Add(1, new KeyValuePair<string, object?>("outcome", "not-sent"), new KeyValuePair<string, object?>("rcode", why));

    /// <summary>
    /// A span for one question sent to one server, the child of the wave that sent it (a resolution, an ask-ahead,
    /// or the rule that asked a server directly). One per query actually sent — answers from the diagnosis's memo or
    /// the shared cache send nothing and make none — so a trace holds at most <see cref="LiveDnsOptions.MaxQueries"/> of them.
    /// </summary>
    internal static Activity? Query(System.Net.IPEndPoint server, Names.DnsName name, Records.RecordType type, bool recursion)
    {
        var activity = Source.StartActivity("dns query", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("server.address", server.Address.ToString());
            activity.SetTag("server.port", server.Port);
            activity.SetTag("dns.question.name", name.Text);
            activity.SetTag("dns.question.type", type.ToString());
            activity.SetTag("dns.recursion_desired", recursion);
        }

        return activity;
    }

    /// <summary>What came back: the rcode name, or a timeout (an error status: the server did not answer).</summary>
    internal static void Answered(Activity? query, string outcome)
    {
        if (query is null)
        {
            return;
        }

        query.SetTag("dns.response_code", outcome);
        if (outcome.StartsWith("timeout", StringComparison.Ordinal))
        {
            query.SetStatus(ActivityStatusCode.Error, "timeout");
        }
    }

    /// <summary>
    /// A span over the questions asked ahead (<see cref="LiveDnsView.Expect"/>, and the zone questions a referral sets
    /// off): it is made current while they are started, so their query spans are its children, and it ends when the
    /// last of them does. <paramref name="start"/> returns the questions' tasks.
    /// </summary>
    internal static void AskAhead(string what, Func<IReadOnlyList<Task>> start)
    {
        var previous = Activity.Current;
        var wave = Source.StartActivity("dns ask-ahead");
        wave?.SetTag("rulesapi.dns.ask_ahead", what);
        IReadOnlyList<Task> tasks;
        try
        {
            tasks = start();
        }
        finally
        {
            // The wave stays open for its questions, but what the caller does next is not part of it.
            Activity.Current = previous;
        }

        if (wave is null)
        {
            return;
        }

        wave.SetTag("rulesapi.dns.questions", tasks.Count);
        Task.WhenAll(tasks).ContinueWith(static (_, state) => ((Activity)state!).Dispose(), wave, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>A span for one lookup a rule asked of the live view.</summary>
    internal static Activity? Wave(string what, Names.DnsName name, Records.RecordType? type = null)
    {
        // The name is made only for a listener, not on every lookup.
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity("dns " + what);
        if (activity is not null)
        {
            activity.SetTag("dns.question.name", name.Text);
            if (type is { } t)
            {
                activity.SetTag("dns.question.type", t.ToString());
            }
        }

        return activity;
    }
}
