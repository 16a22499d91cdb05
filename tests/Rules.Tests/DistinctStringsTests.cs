using RulesApi.Rules.Report;

namespace RulesApi.Rules.Tests;

/// <summary>The strings a record change lists (names, rule IDs): each once, the first spelling kept, in an order that does not depend on the adding.</summary>
public sealed class DistinctStringsTests
{
    [Fact]
    public void Repeats_count_once_and_the_first_spelling_stays()
    {
        var names = new DistinctStrings(StringComparer.OrdinalIgnoreCase);
        Assert.Empty(names.Sorted(StringComparer.OrdinalIgnoreCase.Compare));

        names.Add("WWW.example.com.");
        names.Add("www.example.com.");
        Assert.Equal(1, names.Count);
        Assert.Equal(["WWW.example.com."], names.Sorted(StringComparer.OrdinalIgnoreCase.Compare));

        names.Add("api.example.com.");
        names.Add("www.EXAMPLE.com.");
        names.Add("Api.example.com.");
        Assert.Equal(2, names.Count);
        Assert.Equal(["api.example.com.", "WWW.example.com."], names.Sorted(StringComparer.OrdinalIgnoreCase.Compare));
    }

    [Fact]
    public void The_order_is_the_comparisons_whatever_the_order_of_adding()
    {
        string[] ids = ["VAL010", "CAA001", "caa001", "TTL001", "CAA004"];
        var forward = new DistinctStrings(StringComparer.Ordinal);
        var backward = new DistinctStrings(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            forward.Add(id);
        }

        foreach (var id in ids.Reverse())
        {
            backward.Add(id);
        }

        // Ordinal: "CAA001" and "caa001" are two rule IDs, upper case first.
        Assert.Equal(["CAA001", "CAA004", "TTL001", "VAL010", "caa001"], forward.Sorted(string.CompareOrdinal));
        Assert.Equal(forward.Sorted(string.CompareOrdinal), backward.Sorted(string.CompareOrdinal));
    }

    [Fact]
    public void At_most_the_first_few_are_listed_and_all_are_counted()
    {
        var names = new DistinctStrings(StringComparer.OrdinalIgnoreCase);
        foreach (var name in new[] { "d.", "b.", "a.", "c." })
        {
            names.Add(name);
        }

        Assert.Equal(["a.", "b."], names.Sorted(StringComparer.OrdinalIgnoreCase.Compare, max: 2));
        Assert.Equal(4, names.Count);
        Assert.Empty(names.Sorted(StringComparer.OrdinalIgnoreCase.Compare, max: 0));

        var one = new DistinctStrings(StringComparer.OrdinalIgnoreCase);
        one.Add("a.");
        Assert.Empty(one.Sorted(StringComparer.OrdinalIgnoreCase.Compare, max: 0));
    }
}
