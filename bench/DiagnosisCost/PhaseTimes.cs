using System.Diagnostics;
using System.Diagnostics.Metrics;

/// <summary>
/// Where the time of the measured diagnoses goes: reading the request, each rule — taken from the engine's own
/// <c>rulesapi.rule.duration</c> measurements, so nothing is timed twice — everything else the diagnosis does
/// (parsing a zone, the shared facts a rule's first look pays for are in that rule's time, then sorting, fixes,
/// forms, plain answers), and writing the report as JSON. Wall time on one thread: compare runs made in one sitting.
/// </summary>
internal sealed class PhaseTimes : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, double> _ruleSeconds = new(StringComparer.Ordinal);
    private long _read;
    private long _diagnosed;
    private long _written;
    private bool _listening;

    public PhaseTimes()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "rulesapi.rule.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnRule);
        _listener.Start();
    }

    /// <summary>From now on: the warm-up's diagnoses are not counted.</summary>
    public void Start() => _listening = true;

    public void Add(long read, long diagnosed, long written)
    {
        if (!_listening)
        {
            return;
        }

        _read += read;
        _diagnosed += diagnosed;
        _written += written;
    }

    private void OnRule(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (!_listening)
        {
            return;
        }

        foreach (var tag in tags)
        {
            if (tag.Key == "rule" && tag.Value is string rule)
            {
                _ruleSeconds[rule] = _ruleSeconds.GetValueOrDefault(rule) + seconds;
            }
        }
    }

    public void Print(int iterations)
    {
        double PerDiagnosis(long ticks) => ticks * 1e6 / Stopwatch.Frequency / iterations;
        var rules = _ruleSeconds.Values.Sum() * 1e6 / iterations;
        var diagnosis = PerDiagnosis(_diagnosed);
        Console.WriteLine($"where the time goes (µs per diagnosis, wall): read request {PerDiagnosis(_read):F1}, rules {rules:F1}, " +
            $"rest of the diagnosis {diagnosis - rules:F1}, write report {PerDiagnosis(_written):F1}");
        foreach (var (rule, seconds) in _ruleSeconds.OrderByDescending(pair => pair.Value).Take(15))
        {
            Console.WriteLine($"  {seconds * 1e6 / iterations,8:F1}  {rule}");
        }
    }

    public void Dispose() => _listener.Dispose();
}
