using System.Net;
using System.Text;
using RulesApi.Api.Features.Page;

namespace RulesApi.Api.Tests;

/// <summary>
/// A zone pasted into the support page without names is an audit of every CAA owner: the page lists the
/// names the report lists, but draws the path of only the worst few, and says how many names the report
/// counted without listing them.
/// </summary>
public sealed class PageAuditTests : IClassFixture<ServiceFactory>
{
    private readonly HttpClient _client;

    public PageAuditTests(ServiceFactory factory) => _client = factory.CreateClient();

    private static string Owners(int count)
    {
        var zone = new StringBuilder("$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n@ CAA 0 issue \"amazon.com\"\n");
        for (var i = 0; i < count; i++)
        {
            zone.Append(System.Globalization.CultureInfo.InvariantCulture, $"o{i:D4} CAA 0 issue \"letsencrypt.org\"\n");
        }

        return zone.ToString();
    }

    private async Task<string> AuditOnThePage(int owners)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["zoneFile"] = Owners(owners), ["origin"] = "example.com" });
        var response = await _client.PostAsync("/", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static int Count(string html, string what) => (html.Length - html.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    [Fact]
    public async Task An_audit_of_many_owners_draws_the_paths_of_the_worst_few_only()
    {
        var html = await AuditOnThePage(PageView.MaxPaths + 10);

        // Every owner and the apex are listed with their verdict; only the blocked owners are drawn.
        Assert.Equal(PageView.MaxPaths + 11, Count(html, "<li class=\"verdict "));
        Assert.Equal(PageView.MaxPaths, Count(html, "class=\"path-figure\""));
        Assert.Contains("id=\"paths-omitted\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"path-example-com-\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_beyond_the_reports_cap_are_counted_on_the_page()
    {
        // 1,001 owners and the apex: the report lists 1,000 (the blocked owners) and counts the other two.
        var html = await AuditOnThePage(1001);

        Assert.Contains("id=\"names-omitted\">… and 2 more names, not listed: 1 blocked, 1 ok.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_few_names_are_all_drawn()
    {
        var html = await AuditOnThePage(3);

        Assert.Equal(4, Count(html, "class=\"path-figure\""));
        Assert.DoesNotContain("id=\"paths-omitted\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"names-omitted\"", html, StringComparison.Ordinal);
    }
}
