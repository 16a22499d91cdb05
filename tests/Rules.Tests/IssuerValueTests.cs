using RulesApi.Rules.Caa;

namespace RulesApi.Rules.Tests;

public sealed class IssuerValueTests
{
    [Theory]
    [InlineData("amazon.com", "amazon.com")]
    [InlineData("  amazon.com  ", "amazon.com")]
    [InlineData("amazon.com;", "amazon.com")]
    [InlineData("amazon.com; accounturi=https://x/1 ; validationmethods=dns-01", "amazon.com")]
    [InlineData("ca-1.example", "ca-1.example")]
    [InlineData(";", null)]
    [InlineData("", null)]
    public void Valid_values(string raw, string? issuer)
    {
        var value = IssuerValue.Parse(raw);

        Assert.True(value.IsValid, value.Error);
        Assert.Equal(issuer, value.Issuer);
    }

    [Theory]
    [InlineData("amazon.com.", 10, "ends with a dot")]
    [InlineData("%%%", 0, "cannot start a label")]
    [InlineData("amazon.com; account_uri=x", 19, "'_' is not allowed in the parameter tag")]
    [InlineData("amazon.com; a=b c", 16, "contains a space")]
    [InlineData("\"amazon.com\"", 0, "double quote")]
    [InlineData("amazon-.com", 6, "ends with '-'")]
    [InlineData("amazon.com x", 11, "only ';' and parameters")]
    [InlineData("amazon.com; a=b;", 15, "followed by another parameter")]
    public void Malformed_values_say_which_character_broke_them(string raw, int index, string reason)
    {
        var value = IssuerValue.Parse(raw);

        Assert.False(value.IsValid);
        Assert.Equal(index, value.ErrorIndex);
        Assert.Contains(reason, value.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("isue", "issue")]
    [InlineData("issues", "issue")]
    [InlineData("issuewlid", "issuewild")]
    [InlineData("iodf", "iodef")]
    [InlineData("issue", null)]
    [InlineData("tbs", null)]
    public void Tag_typos(string tag, string? meant) => Assert.Equal(meant, CaaTags.LikelyMeant(tag));
}
