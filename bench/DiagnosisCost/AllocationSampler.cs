using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

/// <summary>
/// Which types a run allocates, from the runtime's own allocation sampling (an event every ~100 KB allocated,
/// naming the type of the object that crossed the mark): a profile of where the bytes go without a trace
/// file or a tool to read it. Sampled, so only the larger shares are meaningful.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    public bool Listening { get; set; }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs sample)
    {
        // GCAllocationTick_V4: AllocationAmount64 is the bytes since the last tick, TypeName the type that crossed it.
        if (!Listening || sample.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || sample.Payload is null)
        {
            return;
        }

        var type = sample.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? sample.Payload[t] as string ?? "?" : "?";
        var amount = sample.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(sample.Payload[a], System.Globalization.CultureInfo.InvariantCulture) : 0;
        _bytes.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }

    /// <summary>The types with the most bytes sampled, per diagnosis.</summary>
    public void Print(int iterations, int top = 60)
    {
        var total = _bytes.Values.Sum();
        Console.WriteLine($"sampled allocations by type ({total / Math.Max(1, iterations):N0} bytes per diagnosis in all):");
        foreach (var (type, bytes) in _bytes.OrderByDescending(pair => pair.Value).Take(top))
        {
            Console.WriteLine($"  {bytes / Math.Max(1, iterations),9:N0}  {100.0 * bytes / Math.Max(1, total),5:F1}%  {type}");
        }
    }
}
