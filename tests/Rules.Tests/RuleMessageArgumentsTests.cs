using System.Text;
using RulesApi.Rules.Contract;

namespace RulesApi.Rules.Tests;

/// <summary>
/// A message reads its arguments' properties through delegates bound once per argument type: values of any
/// type come out as text, the same type read twice gives its new values, and a struct of arguments works too.
/// </summary>
public sealed class RuleMessageArgumentsTests
{
    private static readonly RuleMessage Message = new("test", Severity.Warning, "{name} has {count} records, {ttl} s, {note}");

    private readonly record struct StructArguments(string Name, int Count, long Ttl, string? Note);

    [Fact]
    public void Anonymous_arguments_of_every_kind_are_written()
    {
        var text = new StringBuilder();
        Message.Write(text, new { name = "www.example.com.", count = 3, ttl = 86400L, note = (string?)null });

        Assert.Equal("www.example.com. has 3 records, 86400 s, ", text.ToString());
    }

    [Fact]
    public void The_same_argument_type_gives_each_object_its_own_values()
    {
        var first = new StringBuilder();
        var second = new StringBuilder();
        Message.Write(first, new { name = "a.", count = 1, ttl = 60L, note = "x" });
        Message.Write(second, new { name = "b.", count = 2, ttl = 120L, note = "y" });

        Assert.Equal("a. has 1 records, 60 s, x", first.ToString());
        Assert.Equal("b. has 2 records, 120 s, y", second.ToString());
    }

    [Fact]
    public void A_struct_of_arguments_is_read_too()
    {
        var message = new RuleMessage("test", Severity.Warning, "{Name} has {Count} records, {Ttl} s, {Note}");
        var text = new StringBuilder();
        message.Write(text, new StructArguments("c.", 4, 300, "z"));

        Assert.Equal("c. has 4 records, 300 s, z", text.ToString());
    }
}
