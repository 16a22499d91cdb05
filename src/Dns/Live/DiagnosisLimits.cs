using System.Collections.Concurrent;

namespace RulesApi.Dns.Live;

/// <summary>
/// The caps of one live diagnosis (<see cref="LiveDnsOptions"/>): the query budget, counted as queries
/// are sent, and which caps were reached, each once, in words that name its setting.
/// </summary>
internal sealed class DiagnosisLimits(LiveDnsOptions options)
{
    private readonly ConcurrentDictionary<string, byte> _reached = new(StringComparer.Ordinal);
    private int _taken;

    public LiveDnsOptions Options => options;

    /// <summary>The queries sent so far (the budget spent).</summary>
    public int QueriesSent => Math.Min(Volatile.Read(ref _taken), options.MaxQueries);

    /// <summary>True once a query was refused for want of budget.</summary>
    public bool Exhausted => Volatile.Read(ref _taken) > options.MaxQueries;

    /// <summary>The caps reached so far, in the order of their text.</summary>
    public IReadOnlyList<string> Reached => _reached.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Takes one query from the budget; false when it is spent (and the cap is noted).</summary>
    public bool TryTakeQuery()
    {
        if (Interlocked.Increment(ref _taken) <= options.MaxQueries)
        {
            return true;
        }

        Note(BudgetSpent);
        return false;
    }

    public string BudgetSpent => $"the diagnosis sent the {options.MaxQueries} queries it may send (Dns:MaxQueries)";

    /// <summary>Notes a cap that was reached; returns the text for chaining into a failure's detail.</summary>
    public string Note(string what)
    {
        _reached.TryAdd(what, 0);
        return what;
    }
}
