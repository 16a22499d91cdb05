using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Tests;

/// <summary>A report's findings: most severe first, then name in any case, rule ID, line, column; alike ones as the rules gave them.</summary>
public sealed class FindingOrderTests
{
    private static Finding Make(Severity severity, string name, string ruleId, string message = "m", int? line = null, int column = 0) => new()
    {
        RuleId = ruleId,
        Severity = severity,
        Name = name,
        Title = "t",
        Message = message,
        HelpUri = "/rules/" + ruleId,
        Location = line is { } at ? new SourceLocation(at, column) : null,
    };

    [Fact]
    public void Severity_comes_first_then_name_in_any_case_then_rule_then_place_in_the_zone()
    {
        List<Finding> findings =
        [
            Make(Severity.Notice, "a.example.com.", "CAA001"),
            Make(Severity.Error, "www.example.com.", "CAA001"),
            Make(Severity.Error, "WWW.example.com.", "CAA004", line: 9),
            Make(Severity.Error, "www.example.com.", "CAA004", line: 3, column: 7),
            Make(Severity.Error, "www.example.com.", "CAA004", line: 3, column: 2),
            Make(Severity.Error, "api.example.com.", "VAL010"),
            Make(Severity.Critical, "z.example.com.", "ZONE001"),
            // Ordinal: upper case sorts before lower case.
            Make(Severity.Error, "www.example.com.", "caa002"),
        ];

        FindingOrder.Sort(findings);

        Assert.Equal(
            ["ZONE001 z", "VAL010 api", "CAA001 www", "CAA004 www 3:2", "CAA004 www 3:7", "CAA004 WWW 9:0", "caa002 www", "CAA001 a"],
            findings.Select(f => $"{f.RuleId} {f.Name.Split('.')[0]}{(f.Location is { } l ? $" {l.Line}:{l.Column}" : "")}"));
    }

    [Fact]
    public void Findings_alike_in_every_key_keep_the_order_they_came_in()
    {
        // Same severity, name (but for case), rule and place: only their messages tell them apart, and the sort must not.
        var given = Enumerable.Range(0, 40)
            .Select(i => Make(Severity.Warning, i % 2 == 0 ? "example.com." : "EXAMPLE.com.", "TTL001", message: $"m{i}"))
            .Prepend(Make(Severity.Error, "example.com.", "TTL001", message: "first"))
            .ToList();
        var sorted = given.ToList();

        FindingOrder.Sort(sorted);

        Assert.Equal("first", sorted[0].Message);
        Assert.Equal(given.Skip(1).Select(f => f.Message), sorted.Skip(1).Select(f => f.Message));
        Assert.Equal(0, FindingOrder.Compare(given[1], given[2]));
    }

    [Fact]
    public void A_finding_without_a_place_in_the_zone_sorts_as_line_zero()
    {
        List<Finding> findings = [Make(Severity.Error, "example.com.", "ZONE002", line: 1), Make(Severity.Error, "example.com.", "ZONE002")];

        FindingOrder.Sort(findings);

        Assert.Null(findings[0].Location);
    }
}
