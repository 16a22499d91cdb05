using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RulesApi.Dns.Live;

/// <summary>
/// What live DNS tells an operator's tracing and metrics, through System.Diagnostics only (the host
/// chooses the exporter): a span per lookup a rule asks for (a wave of queries: the referrals of one
/// resolution, or one server's answer) and every query counted by outcome and response code.
/// </summary>
public static class DnsTelemetry
{
    /// <summary>The name of the ActivitySource and of the Meter.</summary>
    public const string Name = "RulesApi.Dns";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Queries = Meter.CreateCounter<long>("rulesapi.dns.queries", "{query}",
        "DNS queries of live diagnoses, by outcome (answered, timeout, not-sent) and response code (NOERROR, NXDOMAIN, SERVFAIL, …; none when no answer came)");

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

    /// <summary>A span for one lookup a rule asked of the live view.</summary>
    internal static Activity? Wave(string what, Names.DnsName name, Records.RecordType? type = null)
    {
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
