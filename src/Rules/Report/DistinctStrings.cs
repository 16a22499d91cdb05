namespace RulesApi.Rules.Report;

/// <summary>
/// Strings without repeats under a comparer, keeping the first spelling of each (as a <see cref="HashSet{T}"/> does),
/// made cheap for the usual one: a change of a report mostly serves one name and is asked for by one rule, and a
/// hash set for each was most of what gathering the changes allocated. The set is made at the second string.
/// </summary>
public sealed class DistinctStrings(StringComparer comparer)
{
    private string? _first;
    private HashSet<string>? _all;

    public int Count => _all?.Count ?? (_first is null ? 0 : 1);

    public void Add(string value)
    {
        if (_all is not null)
        {
            _all.Add(value);
        }
        else if (_first is null)
        {
            _first = value;
        }
        else if (!comparer.Equals(_first, value))
        {
            _all = new HashSet<string>(comparer) { _first, value };
        }
    }

    /// <summary>
    /// The first <paramref name="max"/> of the strings in <paramref name="order"/>, which must tell any two of them apart
    /// (their order is then the same whatever order they were added in).
    /// </summary>
    public List<string> Sorted(Comparison<string> order, int max = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (_all is null)
        {
            return _first is null || max <= 0 ? [] : [_first];
        }

        var sorted = new string[_all.Count];
        _all.CopyTo(sorted);
        Array.Sort(sorted, order);
        return max >= sorted.Length ? [.. sorted] : [.. sorted.AsSpan(0, max)];
    }
}
