using RulesApi.Rules.Contract;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Tests;

/// <summary>
/// A profile is data the catalog checks: rule ids in any case, per-message severities, options within
/// their ranges — and anything the catalog does not know is refused with a reason, never ignored.
/// </summary>
public sealed class ProfileTests
{
    private static readonly RuleCatalog Catalog = new(RuleCatalog.BuiltInRules());

    public static TheoryData<string, string> Refused() => new()
    {
        { """{"rules": {"CAA999": {"enabled": false}}}""", "rules.CAA999: there is no rule CAA999 (the CAA rules are CAA001" },
        { """{"rules": {"NS001": {"messages": {"partial": {"severity": "notice"}}}}}""", "NS001 has no message 'partial' (its messages: disjoint, overlapping)" },
        { """{"rules": {"TTL001": {"thresholds": {"maxTTLs": 60}}}}""", "rules.TTL001.thresholds.maxTTLs: TTL001 has no option 'maxTTLs' (its options: maxTtl)" },
        { """{"rules": {"TTL001": {"thresholds": {"maxTtl": -5}}}}""", "rules.TTL001.thresholds.maxTtl: -5 is outside 0–604800" },
        { """{"rules": {"SEC008": {"thresholds": {"days": 400}}}}""", "400 is outside 0–365" },
        { """{"rules": {"CAA001": {"thresholds": {"x": 1}}}}""", "CAA001 has no option 'x' (it has no options)" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_profile_the_catalog_does_not_know_is_refused_with_its_reason(string json, string reason)
    {
        var error = Assert.Throws<InvalidDataException>(() => RuleProfile.Parse(json, Catalog));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_setting_is_a_json_error_not_ignored() =>
        Assert.Throws<System.Text.Json.JsonException>(() => RuleProfile.Parse("""{"rules": {"CAA004": {"severty": "error"}}}""", Catalog));

    [Theory]
    // The second copy won, and the first was dropped without a word.
    [InlineData("""{"rules": {"CAA001": {"enabled": false}, "CAA001": {"enabled": true}}}""")]
    // Ids match without regard to case: the copy in other letters made an ArgumentException ('internal error').
    [InlineData("""{"rules": {"CAA001": {"enabled": false}, "caa001": {"enabled": true}}}""")]
    [InlineData("""{"rules": {"NS001": {"messages": {"overlapping": {"severity": "notice"}, "Overlapping": {"severity": "error"}}}}}""")]
    // A null where settings go was a NullReferenceException, at reading or at the first diagnosis.
    [InlineData("""{"rules": {"CAA001": null}}""")]
    [InlineData("""{"rules": {"NS001": {"messages": {"overlapping": null}}}}""")]
    [InlineData("""{"cas": {"internal": null}}""")]
    public void A_setting_given_twice_or_as_null_is_a_json_error(string json) =>
        Assert.Throws<System.Text.Json.JsonException>(() => RuleProfile.Parse(json, Catalog));

    [Fact]
    public void What_a_profile_leaves_out_keeps_its_default()
    {
        var profile = RuleProfile.Parse("""{"rules": {"TTL001": {"severity": "warning"}, "CAA011": {}}, "cas": {"internal": {"name": "Our CA"}}}""");

        Assert.True(profile.IsEnabled("TTL001"));
        Assert.True(profile.IsEnabled("CAA011"));
        Assert.Equal(Severity.Warning, profile.For("TTL001").Severity);
        Assert.Empty(profile.For("CAA011").Messages);
        Assert.Empty(profile.For("CAA011").Thresholds);
        Assert.Empty(profile.Cas["internal"].Identities);
        Assert.Contains("cas.internal.identities: give the CA's CAA issuer domain names", profile.Problems(Catalog)[0], StringComparison.Ordinal);
        Assert.Empty(RuleProfile.Parse("{}").Rules);
    }

    [Fact]
    public void Rule_ids_message_ids_and_option_names_match_without_regard_to_case()
    {
        var profile = RuleProfile.Parse("""{"rules": {"ns001": {"messages": {"Overlapping": {"severity": "notice"}}}, "ttl001": {"thresholds": {"MAXTTL": 60}}}}""", Catalog);

        Assert.Equal(Severity.Notice, profile.SeverityOf("NS001", "overlapping", Severity.Warning));
        Assert.Equal(Severity.Error, profile.SeverityOf("NS001", "disjoint", Severity.Error));
        Assert.Equal(60, profile.OptionValue("TTL001", Ttl.TTL001_LongTtlOnCaaOrValidation.MaxTtl));
    }

    [Fact]
    public async Task A_message_s_severity_in_the_profile_changes_that_message_only()
    {
        var quiet = RuleProfile.Parse("""{"rules": {"NS001": {"messages": {"disjoint": {"severity": "notice"}}}}}""", Catalog);

        var before = Assert.Single((await FixtureRun.RunAsync("ns-changed-in-zone-editor")).Findings, f => f.RuleId == "NS001");
        var after = Assert.Single((await FixtureRun.RunAsync("ns-changed-in-zone-editor", profile: quiet)).Findings, f => f.RuleId == "NS001");

        Assert.Equal(("disjoint", Severity.Error), (before.MessageId, before.Severity));
        Assert.Equal(Severity.Notice, after.Severity);
        Assert.Equal(before.Message, after.Message);
    }

    [Fact]
    public void Every_rule_s_messages_have_unique_ids_and_every_option_a_default_in_its_range()
    {
        Assert.All(Catalog.Rules.Select(r => r.Metadata), rule =>
        {
            Assert.Equal(rule.Messages.Count, rule.Messages.Select(m => m.Id.ToUpperInvariant()).Distinct().Count());
            Assert.All(rule.Options, option => Assert.True(option.Allows(option.Default), $"{rule.Id}.{option.Name}"));
        });
    }

    [Fact]
    public void A_template_renders_its_named_arguments_and_refuses_missing_or_extra_ones()
    {
        var message = new RuleMessage("m", Severity.Error, "At {zone}: {count} records ({zone}).");

        Assert.Equal(["zone", "count"], message.Arguments);
        Assert.Equal("At example.com: 3 records (example.com).", message.Render(new { zone = "example.com", count = 3 }));
        Assert.Throws<InvalidOperationException>(() => message.Render(new { zone = "example.com" }));
        Assert.Throws<InvalidOperationException>(() => message.Render(new { zone = "x", count = 1, extra = 2 }));
        Assert.Throws<ArgumentException>(() => new RuleMessage("bad", Severity.Error, "an { unclosed"));
        // The message keeps the argument type it last fitted: a type that does not fit still throws after one that did, every
        // time, and the one that fits renders again after it.
        Assert.Throws<InvalidOperationException>(() => message.Render(new { zone = "example.com" }));
        Assert.Throws<InvalidOperationException>(() => message.CheckFits(new { zone = "example.com" }));
        Assert.Equal("At a: 1 records (a).", message.Render(new { zone = "a", count = 1 }));
        Assert.Equal("At b: 2 records (b).", message.Render(new { zone = "b", count = 2L }));
    }

    [Fact]
    public void Messages_are_equal_by_id_severity_and_template_whatever_they_have_rendered()
    {
        var used = new RuleMessage("m", Severity.Error, "At {zone}.");
        _ = used.Render(new { zone = "example.com" });

        Assert.Equal(new RuleMessage("m", Severity.Error, "At {zone}."), used);
        Assert.Equal(new RuleMessage("m", Severity.Error, "At {zone}.").GetHashCode(), used.GetHashCode());
        Assert.NotEqual(used with { Severity = Severity.Warning }, used);
    }
}
