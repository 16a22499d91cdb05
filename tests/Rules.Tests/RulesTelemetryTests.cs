using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Tests;

public sealed class RulesTelemetryTests
{
    [Theory]
    [InlineData("fixture:caa-subdomain-override", "fixture")]
    [InlineData("fixture:healthy", "fixture")]
    [InlineData("zone", "zone")]
    [InlineData("zone-audit", "zone-audit")]
    [InlineData("live", "live")]
    [InlineData("other:thing", "other")]
    [InlineData("fixtures:x", "fixtures")]
    public void A_report_source_is_tagged_by_its_kind(string source, string tag) =>
        Assert.Equal(tag, RulesTelemetry.SourceTag(source));
}
