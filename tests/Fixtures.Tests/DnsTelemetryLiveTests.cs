using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using RulesApi.Dns.Live;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.FixtureServer;

namespace RulesApi.Fixtures.Tests;

/// <summary>
/// What a live diagnosis shows an operator's tracing and metrics, over the loopback fixture server: every query
/// sent is a span under the wave that sent it (a resolution, the questions asked ahead, or a rule asking one
/// server), and the shared cache's hits and misses are counted.
/// </summary>
public sealed class DnsTelemetryLiveTests : IDisposable
{
    private static readonly DnsName Www = DnsName.Parse("www.example.com.");
    private const string TestSourceName = "RulesApi.Fixtures.Tests.DnsTelemetry";
    private static readonly ActivitySource TestSource = new(TestSourceName);

    private readonly ConcurrentQueue<Activity> _ended = new();
    private readonly ActivityListener _listener;

    public DnsTelemetryLiveTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is DnsTelemetry.Name or TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ended.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>The spans of one trace that have ended, once <paramref name="done"/> holds of them (the ask-ahead wave ends after its last question).</summary>
    private async Task<List<Activity>> SpansOnceThey(ActivityTraceId trace, Func<List<Activity>, bool> done)
    {
        var spans = new List<Activity>();
        for (var waited = 0; waited < 200; waited++)
        {
            spans = _ended.Where(a => a.TraceId == trace).ToList();
            if (done(spans))
            {
                break;
            }

            await Task.Delay(50);
        }

        return spans;
    }

    [Fact]
    public async Task Each_query_sent_is_a_span_under_its_wave_and_answers_from_the_memo_make_none()
    {
        using var server = FixtureDnsServer.Start(FixtureScenario.BuiltIn["healthy"]);
        var view = new LiveDnsView(server.LiveOptions());
        var zoneServer = new NameServerAddress(DnsName.Parse("ns1.example.com."), IPAddress.Parse("127.0.10.3"));
        ActivityTraceId trace;
        ActivitySpanId rootId;
        using (var root = TestSource.StartActivity("diagnosis")!)
        {
            trace = root.TraceId;
            rootId = root.SpanId;
            view.Expect([(Www, RecordType.CAA)], CancellationToken.None);
            await view.QueryAsync(Www, RecordType.CAA, CancellationToken.None);
            await view.AskServerAsync(zoneServer, Www, RecordType.TXT, CancellationToken.None);
            // Asked again: the memo answers, nothing is sent.
            await view.AskServerAsync(zoneServer, Www, RecordType.TXT, CancellationToken.None);
        }

        var spans = await SpansOnceThey(trace, s => s.Any(a => a.GetTagItem("rulesapi.dns.ask_ahead") as string == "resolvers")
            && s.Any(a => a.GetTagItem("rulesapi.dns.ask_ahead") as string == "zone example.com."));
        var queries = spans.Where(a => a.OperationName == "dns query").ToList();
        var byId = spans.ToDictionary(a => a.SpanId);

        // One span per query sent, as many as the audit trail has entries (all of them sent: no shared cache here).
        Assert.Equal(view.QueryLog.Count, queries.Count);
        Assert.All(queries, q =>
        {
            Assert.Equal(ActivityKind.Client, q.Kind);
            Assert.NotNull(q.GetTagItem("server.address"));
            Assert.NotNull(q.GetTagItem("dns.response_code"));
        });
        // The resolution's referrals (root, com, example.com) are its children.
        var resolve = Assert.Single(spans, a => a.OperationName == "dns resolve" && a.ParentSpanId == rootId);
        Assert.True(queries.Count(q => q.ParentSpanId == resolve.SpanId) >= 3);
        // The questions asked ahead hang under their waves: the resolvers', and example.com's servers' once a referral named them.
        var resolvers = Assert.Single(spans, a => a.OperationName == "dns ask-ahead" && a.GetTagItem("rulesapi.dns.ask_ahead") as string == "resolvers");
        Assert.Contains(queries, q => q.ParentSpanId == resolvers.SpanId && (bool?)q.GetTagItem("dns.recursion_desired") == true);
        var zone = Assert.Single(spans, a => a.OperationName == "dns ask-ahead" && a.GetTagItem("rulesapi.dns.ask_ahead") as string == "zone example.com.");
        Assert.Contains(queries, q => q.ParentSpanId == zone.SpanId && q.GetTagItem("dns.question.type") as string == "NS");
        // A wave ends after the last of its questions.
        Assert.All(queries.Where(q => q.ParentSpanId == zone.SpanId), q => Assert.True(q.StartTimeUtc + q.Duration <= zone.StartTimeUtc + zone.Duration));
        // The rule's direct question to one server: one query span, whose parent is the caller's span.
        var direct = Assert.Single(queries, q => q.GetTagItem("dns.question.type") as string == "TXT");
        Assert.Equal(rootId, direct.ParentSpanId);
        Assert.Equal("127.0.10.3", direct.GetTagItem("server.address"));
        Assert.All(queries, q => Assert.True(byId.ContainsKey(q.ParentSpanId) || q.ParentSpanId == rootId));
    }

    [Fact]
    public async Task Shared_cache_hits_and_misses_are_counted_and_its_entries_gauged()
    {
        using var server = FixtureDnsServer.Start(FixtureScenario.BuiltIn["healthy"]);
        var options = server.LiveOptions();
        var shared = new SharedDnsCache(options);
        var counts = new ConcurrentDictionary<string, long>();
        var entries = new List<long>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == DnsTelemetry.Name && instrument.Name.StartsWith("rulesapi.dns.shared_cache.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        // Other tests in this process use caches of their own: only lookups made on this test's async flow are counted.
        var mine = new AsyncLocal<bool> { Value = true };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "rulesapi.dns.shared_cache.entries")
            {
                lock (entries)
                {
                    entries.Add(value);
                }

                return;
            }

            if (!mine.Value)
            {
                return;
            }

            var result = "";
            var kind = "";
            foreach (var tag in tags)
            {
                (result, kind) = tag.Key == "result" ? ((string)tag.Value!, kind) : tag.Key == "kind" ? (result, (string)tag.Value!) : (result, kind);
            }

            counts.AddOrUpdate($"{kind}:{result}", value, (_, total) => total + value);
        });
        meters.Start();

        var cold = new LiveDnsView(options, shared);
        await cold.QueryAsync(Www, RecordType.CAA, CancellationToken.None);
        var afterCold = new Dictionary<string, long>(counts);
        var warm = new LiveDnsView(options, shared);
        await warm.QueryAsync(Www, RecordType.CAA, CancellationToken.None);
        meters.RecordObservableInstruments();

        // The first diagnosis finds nothing (the delegation of com is a miss), the second finds what the first kept.
        Assert.True(afterCold.GetValueOrDefault("referral:miss") >= 1);
        Assert.Equal(0, afterCold.GetValueOrDefault("referral:hit"));
        Assert.True(counts.GetValueOrDefault("referral:hit") >= 1);
        Assert.Equal(warm.QueryLog.Count(e => e.Cached == true), counts.Where(c => c.Key.EndsWith(":hit", StringComparison.Ordinal)).Sum(c => c.Value));
        // The gauge counts what every live cache holds, this one included.
        Assert.True(shared.Count >= 1);
        Assert.Contains(entries, value => value >= shared.Count);
    }
}
