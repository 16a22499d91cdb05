using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace RulesApi.Page.Tests;

/// <summary>
/// The support page at / in a real browser (Debian's chromium through Playwright), against the real
/// service on a loopback port. Each state is screenshotted under bin/…/screenshots.
/// </summary>
[Collection(PageCollection.Name)]
public sealed class SupportPageTests
{
    /// <summary>GoDaddy's export of a zone whose CAA set allows only Let's Encrypt.</summary>
    private const string GoDaddyZone = """
        $ORIGIN example.com.
        $TTL 3600
        @ 3600 IN SOA ns1.domaincontrol.com. dns.jomax.net. 2026112801 28800 7200 604800 600
        @ 3600 IN NS ns1.domaincontrol.com.
        @ 3600 IN NS ns2.domaincontrol.com.
        @ 3600 IN CAA 0 issue "letsencrypt.org"
        www 600 IN A 192.0.2.10

        """;

    private const string BrokenZone = """
        $ORIGIN example.com.
        $TTL 3600
        @ SOA ns1 hostmaster 1 7200 3600 1209600 300
        @ NS ns1
        ns1 A 192.0.2.1
        www A not-an-address
        @ CAA 0 issue "amazon.com"

        """;

    private readonly PageHost _host;

    public SupportPageTests(PageHost host)
    {
        _host = host;
    }

    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RulesApi.sln")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new InvalidOperationException("RulesApi.sln not found");
    }

    [Fact]
    public async Task GoDaddy_zone_allowing_only_letsencrypt_says_which_CAA_record_to_add_in_GoDaddy_form()
    {
        var page = await _host.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Names on the certificate").FillAsync("www.example.com");
        await page.GetByLabel("Zone text (optional)").FillAsync(GoDaddyZone);
        await page.GetByLabel("DNS provider").SelectOptionAsync("godaddy");
        await page.GetByRole(AriaRole.Button, new() { Name = "Diagnose" }).ClickAsync();

        var verdict = page.Locator(".verdict").First;
        await Assertions.Expect(verdict.Locator(".badge")).ToHaveTextAsync("Blocked");
        await Assertions.Expect(verdict.Locator(".plain")).ToHaveTextAsync(
            "Amazon is not allowed to issue for www.example.com: add one CAA record at GoDaddy, keep the others.");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "What to type at GoDaddy" })).ToBeVisibleAsync();

        // GoDaddy's CAA form, field by field, in its order: Type, Name (without the zone), TTL (its 600 s floor), Flag, Tag, Domain.
        var record = page.Locator(".record").First;
        Assert.Equal(["Type", "Name", "TTL", "Flag", "Tag", "Domain"], await record.Locator("dt").AllInnerTextsAsync());
        Assert.Equal(["CAA", "@", "Custom: 600", "0", "issue", "amazon.com"], (await record.Locator("dd code").AllInnerTextsAsync()).Take(6));
        await Assertions.Expect(record.Locator(".note")).ToContainTextAsync("without quotes");

        // "Visible by" in the reader's local time (the context's zone is Europe/Paris, the service's clock stands still).
        await Assertions.Expect(record.Locator("time.local")).ToContainTextAsync("2026");
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", await record.Locator("time.local").GetAttributeAsync("datetime"));
        Assert.DoesNotContain("UTC", await record.Locator("time.local").InnerTextAsync(), StringComparison.Ordinal);

        // The findings, most severe first, with evidence and line numbers, linking the rule's readable page.
        var finding = page.Locator(".finding").First;
        await Assertions.Expect(finding).ToContainTextAsync("CAA001");
        await Assertions.Expect(finding.Locator(".meta")).ToContainTextAsync("zone line 6");
        await Assertions.Expect(finding.Locator("pre.evidence")).ToContainTextAsync("letsencrypt.org");

        // The path: the climb from www to the apex, the apex's set deciding.
        var svg = page.Locator("figure.path-figure svg").First;
        await Assertions.Expect(svg).ToBeVisibleAsync();
        await Assertions.Expect(svg.Locator("rect.forbids")).ToHaveCountAsync(1);
        await Assertions.Expect(svg).ToContainTextAsync("www.example.com");
        await Assertions.Expect(svg).ToContainTextAsync("asked: no CAA records here");
        await Assertions.Expect(svg).ToContainTextAsync("this set decides: Amazon not allowed");
        await PageHost.ScreenshotAsync(page, "godaddy-caa");
        // What the README shows (docs/page.png is a copy of it): the first screenful.
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(PageHost.ScreenshotFolder, "readme.png") });

        // The permalink carries the names and the provider, never the pasted zone.
        var link = await page.Locator("#permalink").InputValueAsync();
        Assert.Contains("domains=www.example.com", link, StringComparison.Ordinal);
        Assert.Contains("provider=godaddy", link, StringComparison.Ordinal);
        Assert.Contains("zone=pasted", link, StringComparison.Ordinal);
        Assert.DoesNotContain("letsencrypt", Uri.UnescapeDataString(link), StringComparison.Ordinal);
        await page.GotoAsync(link);
        await Assertions.Expect(page.Locator(".link-notice")).ToContainTextAsync("paste or upload the zone again");
        await Assertions.Expect(page.GetByLabel("Names on the certificate")).ToHaveValueAsync("www.example.com");
        await Assertions.Expect(page.GetByLabel("DNS provider")).ToHaveValueAsync("godaddy");
        await PageHost.ScreenshotAsync(page, "permalink-zone-left-out");
    }

    [Fact]
    public async Task One_fix_for_several_names_is_one_card_naming_them_all_with_the_records_to_keep()
    {
        var page = await _host.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Names on the certificate").FillAsync("example.com, www.example.com, *.example.com");
        await page.GetByLabel("Zone text (optional)").FillAsync(GoDaddyZone);
        await page.GetByLabel("DNS provider").SelectOptionAsync("godaddy");
        await page.GetByRole(AriaRole.Button, new() { Name = "Diagnose" }).ClickAsync();

        // Three names blocked by the same apex set: one record to add, listed once with the three names.
        await Assertions.Expect(page.Locator(".verdict")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator(".record")).ToHaveCountAsync(1);
        var record = page.Locator(".record").First;
        await Assertions.Expect(record.Locator(".why")).ToHaveTextAsync("For example.com, www.example.com, *.example.com (CAA001)");
        // The Let's Encrypt record stays: add beside it, do not replace.
        await Assertions.Expect(record.Locator(".keep")).ToContainTextAsync("add beside it, do not replace");
        await Assertions.Expect(record.Locator(".keep code")).ToHaveTextAsync("example.com. 3600 IN CAA 0 issue \"letsencrypt.org\"");
        // Each name's sentence says the change is made once.
        await Assertions.Expect(page.Locator(".verdict .plain").Nth(1)).ToContainTextAsync("The same record does it for example.com and *.example.com: make the change once.");
        await PageHost.ScreenshotAsync(page, "one-change-several-names");
    }

    [Fact]
    public async Task Copy_buttons_put_the_field_value_on_the_clipboard()
    {
        var page = await _host.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Names on the certificate").FillAsync("www.example.com");
        await page.GetByLabel("Zone text (optional)").FillAsync(GoDaddyZone);
        await page.GetByLabel("DNS provider").SelectOptionAsync("godaddy");
        await page.GetByRole(AriaRole.Button, new() { Name = "Diagnose" }).ClickAsync();

        // GoDaddy's CAA form takes the CA's domain in its own field, without quotes.
        var copyValue = page.GetByRole(AriaRole.Button, new() { Name = "Copy Domain: amazon.com" });
        await copyValue.ClickAsync();
        await Assertions.Expect(copyValue).ToHaveTextAsync("Copied");
        Assert.Equal("amazon.com", await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        await Assertions.Expect(page.Locator("#announce")).ToContainTextAsync("Copied");

        await page.GetByRole(AriaRole.Button, new() { Name = "Copy the zone-file line" }).First.ClickAsync();
        Assert.Equal("example.com. 300 IN CAA 0 issue \"amazon.com\"", await page.EvaluateAsync<string>("navigator.clipboard.readText()"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Copy the link" }).ClickAsync();
        Assert.StartsWith(_host.BaseUrl + "/?domains=", await page.EvaluateAsync<string>("navigator.clipboard.readText()"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Zone_with_a_syntax_error_shows_the_line_and_no_name_is_ok()
    {
        var page = await _host.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Names on the certificate").FillAsync("www.example.com");
        await page.GetByLabel("Zone text (optional)").FillAsync(BrokenZone);
        await page.GetByRole(AriaRole.Button, new() { Name = "Diagnose" }).ClickAsync();

        await Assertions.Expect(page.Locator(".source")).ToContainTextAsync("1 syntax error");
        var zoneFinding = page.Locator(".finding", new() { HasText = "ZONE001" });
        await Assertions.Expect(zoneFinding.Locator(".meta")).ToContainTextAsync("zone line 6");
        await Assertions.Expect(page.Locator(".verdict .badge").First).Not.ToHaveTextAsync("OK");
        await Assertions.Expect(page.Locator(".verdict .plain").First).ToContainTextAsync("until the zone text is fixed: the zone text has a syntax error (line 6)");
        await PageHost.ScreenshotAsync(page, "zone-syntax-error");
    }

    [Fact]
    public async Task Names_alone_are_diagnosed_live_against_the_loopback_fixture_server()
    {
        var page = await _host.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Names on the certificate").FillAsync("www.example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Diagnose" }).ClickAsync();

        await Assertions.Expect(page.Locator(".source")).ToContainTextAsync("Looked up live");
        await Assertions.Expect(page.Locator(".verdict .badge").First).ToHaveTextAsync("Blocked");
        await Assertions.Expect(page.Locator(".finding", new() { HasText = "CAA008" })).ToHaveCountAsync(1);

        // The query log is folded; opened, every query sent went to the loopback hierarchy (answers the
        // service kept from earlier diagnoses, of the zones above the customer's, say they came from its cache).
        var log = page.Locator("details.queries");
        await Assertions.Expect(log.Locator("table")).Not.ToBeVisibleAsync();
        await log.Locator("summary").ClickAsync();
        var servers = await log.Locator("tbody tr td:nth-child(2)").AllInnerTextsAsync();
        var sent = servers.Where(server => !server.Contains("from cache", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(sent);
        Assert.All(sent, server => Assert.StartsWith("127.0.10.", server, StringComparison.Ordinal));
        Assert.All(servers.Except(sent), server => Assert.Matches(@"^(from cache|127\.0\.10\.\d+:\d+ \(from cache\))$", server));

        // The climb: www's own set decides; the apex above it was not asked; the CAA queries are shown.
        var svg = page.Locator("figure.path-figure svg").First;
        await Assertions.Expect(svg.Locator("rect.forbids")).ToHaveCountAsync(1);
        await Assertions.Expect(svg).ToContainTextAsync("CAA asked: NOERROR");
        await Assertions.Expect(svg).ToContainTextAsync("answered with authority by 127.0.10.");
        await PageHost.ScreenshotAsync(page, "live");

        // A live diagnosis's link reproduces it.
        var link = await page.Locator("#permalink").InputValueAsync();
        Assert.DoesNotContain("zone=", link, StringComparison.Ordinal);
        await page.GotoAsync(link);
        await Assertions.Expect(page.Locator(".verdict .badge").First).ToHaveTextAsync("Blocked");
        await Assertions.Expect(page.Locator(".source")).ToContainTextAsync("Looked up live");
    }

    [Fact]
    public async Task Zone_and_certificate_can_be_uploaded_as_files_and_the_certificate_link_reproduces_the_diagnosis()
    {
        var page = await _host.NewPageAsync();
        await page.GotoAsync("/");
        await page.Locator("#zoneUpload").SetInputFilesAsync(RepositoryFile("samples/example.com.zone"));
        await page.Locator("#acmCertificateUpload").SetInputFilesAsync(RepositoryFile("samples/describe-certificate.json"));
        await page.GetByLabel("DNS provider").SelectOptionAsync("cloudflare");
        await page.GetByRole(AriaRole.Button, new() { Name = "Diagnose" }).ClickAsync();

        await Assertions.Expect(page.Locator(".finding", new() { HasText = "ACM001" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".finding", new() { HasText = "VAL002" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "What to type at Cloudflare" })).ToBeVisibleAsync();
        // The certificate's validation records are drawn where ACM expects them.
        await Assertions.Expect(page.Locator("#path-www-example-com- svg")).ToContainTextAsync("expected _7c8d9e0f1a2b3c4d5e6f708192a3b4c5.www.example.com");
        await Assertions.Expect(page.Locator("#path-www-example-com- svg")).ToContainTextAsync("VAL002");
        await PageHost.ScreenshotAsync(page, "uploaded-zone-and-certificate");
        await page.Locator("#path-www-example-com-").ScreenshotAsync(new() { Path = Path.Combine(PageHost.ScreenshotFolder, "path-www-through-cname.png") });

        // The certificate travels in the link (deflated), the uploaded zone does not.
        var link = await page.Locator("#permalink").InputValueAsync();
        Assert.Contains("cert=", link, StringComparison.Ordinal);
        Assert.Contains("zone=pasted", link, StringComparison.Ordinal);
        await page.GotoAsync(link);
        await Assertions.Expect(page.GetByLabel("ACM's certificate description (optional)")).ToHaveValueAsync(new Regex("\"DomainName\""));
    }

    [Fact]
    public async Task Pasted_certificate_alone_is_diagnosed_live_and_its_link_reproduces_it()
    {
        var page = await _host.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("ACM's certificate description (optional)").FillAsync(await File.ReadAllTextAsync(RepositoryFile("samples/describe-certificate.json")));
        await page.GetByRole(AriaRole.Button, new() { Name = "Diagnose" }).ClickAsync();

        await Assertions.Expect(page.Locator(".source")).ToContainTextAsync("Looked up live");
        await Assertions.Expect(page.Locator(".finding", new() { HasText = "ACM001" })).ToHaveCountAsync(1);
        var names = await page.Locator(".verdict .name").AllInnerTextsAsync();
        Assert.Contains("www.example.com", names);

        await page.GotoAsync(await page.Locator("#permalink").InputValueAsync());
        await Assertions.Expect(page.Locator(".finding", new() { HasText = "ACM001" })).ToHaveCountAsync(1);
        Assert.Equal(names, await page.Locator(".verdict .name").AllInnerTextsAsync());
    }

    [Fact]
    public async Task Bad_input_gets_the_API_field_errors_beside_each_field()
    {
        var page = await _host.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Names on the certificate").FillAsync("www.example.com\nbad..name");
        await page.GetByLabel("ACM's certificate description (optional)").FillAsync("{ not json");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Diagnose" }).ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(400, response.Status);
        await Assertions.Expect(page.Locator("#acmCertificate-error")).ToContainTextAsync("acmCertificate: is not JSON");

        // Once the JSON parses, the names are judged by the API's parser, by the same paths.
        await page.GetByLabel("ACM's certificate description (optional)").FillAsync("");
        await page.GetByLabel("DNS provider").SelectOptionAsync("godaddy");
        await page.GetByRole(AriaRole.Button, new() { Name = "Diagnose" }).ClickAsync();
        await Assertions.Expect(page.Locator("#domains-error")).ToContainTextAsync("domains[1]:");
        await Assertions.Expect(page.GetByLabel("Names on the certificate")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();

        var api = await page.APIRequest.PostAsync("/diagnose", new() { DataObject = new { domains = new[] { "www.example.com", "bad..name" } } });
        var problem = await api.JsonAsync();
        var apiMessage = problem!.Value.GetProperty("errors")[0].GetProperty("reason").GetString()
            ?? problem.Value.GetProperty("errors")[0].ToString();
        await Assertions.Expect(page.Locator("#domains-error")).ToContainTextAsync(apiMessage);
        await PageHost.ScreenshotAsync(page, "bad-input");
    }

    [Fact]
    public async Task A_zone_over_16_MiB_is_refused_before_it_is_sent()
    {
        var page = await _host.NewPageAsync();
        await page.GotoAsync("/");
        var posts = 0;
        page.Request += (_, request) => posts += request.Method == "POST" ? 1 : 0;
        // A file on disk, not a buffer: Playwright hands a local browser the path, where a 16 MiB buffer
        // would travel base64-encoded over its protocol (slow enough to time out on a busy machine).
        var folder = Directory.CreateTempSubdirectory("rulesapi-page-");
        try
        {
            var big = Path.Combine(folder.FullName, "big.zone");
            await using (var file = File.Create(big))
            {
                file.SetLength((16 * 1024 * 1024) + 1);
            }

            await page.Locator("#zoneUpload").SetInputFilesAsync(big);

            await Assertions.Expect(page.Locator("#zoneFile-error")).ToContainTextAsync("'big.zone' is 16.0 MiB; the service takes at most 16 MiB. It was not sent.");
            Assert.Equal("", await page.Locator("#zoneUpload").InputValueAsync());
            await Assertions.Expect(page.Locator("#zoneUpload")).ToBeFocusedAsync();
            Assert.Equal(0, posts);
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        await PageHost.ScreenshotAsync(page, "zone-too-large");
    }

    [Fact]
    public async Task Keyboard_alone_fills_the_form_diagnoses_and_copies()
    {
        var page = await _host.NewPageAsync();
        await page.GotoAsync("/");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("a.skip")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("#domains")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("www.example.com");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("#zoneFile")).ToBeFocusedAsync();
        await page.Keyboard.InsertTextAsync(GoDaddyZone);

        var order = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            order.Add(await page.EvaluateAsync<string>("document.activeElement.id"));
        }

        Assert.Equal(["zoneUpload", "origin", "acmCertificate", "acmCertificateUpload", "provider", "ca"], order);
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("#diagnose")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".verdict .badge").First).ToHaveTextAsync("Blocked");

        // The answer comes into view (the form posts to /#answer) and Tab goes on from there: to the first copy button.
        // Wait until the new page has loaded and its fragment is the focus starting point (a busy machine is slow to get there).
        await page.WaitForURLAsync(url => url.EndsWith("#answer", StringComparison.Ordinal));
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.Keyboard.PressAsync("Tab");
        var focused = page.Locator("button.copy:focus");
        await Assertions.Expect(focused).ToHaveAttributeAsync("aria-label", "Copy Host: @");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(focused).ToHaveTextAsync("Copied");
        Assert.Equal("@", await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        await PageHost.ScreenshotAsync(page, "keyboard-focus");
    }

    [Fact]
    public async Task Rule_links_open_a_readable_page_and_the_JSON_API_is_unchanged()
    {
        var page = await _host.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Names on the certificate").FillAsync("www.example.com");
        await page.GetByLabel("Zone text (optional)").FillAsync(GoDaddyZone);
        await page.GetByRole(AriaRole.Button, new() { Name = "Diagnose" }).ClickAsync();
        await page.Locator(".finding a", new() { HasText = "CAA001" }).First.ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/rules/CAA001\\.html$"));
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("CAA001");
        await Assertions.Expect(page.Locator("article.rule-doc pre").First).ToBeVisibleAsync();
        await PageHost.ScreenshotAsync(page, "rule-page");

        var json = await page.APIRequest.GetAsync("/rules/CAA001");
        Assert.StartsWith("application/json", json.Headers["content-type"], StringComparison.Ordinal);
        Assert.Equal(404, (await page.APIRequest.GetAsync("/rules/NOPE1.html")).Status);
    }

    [Fact]
    public async Task Narrow_screens_and_dark_mode_keep_the_answer_readable()
    {
        var page = await _host.NewPageAsync(width: 390, height: 844, scheme: ColorScheme.Dark);
        await page.GotoAsync("/");
        await page.GetByLabel("Names on the certificate").FillAsync("www.example.com");
        await page.GetByLabel("Zone text (optional)").FillAsync(GoDaddyZone);
        await page.GetByLabel("DNS provider").SelectOptionAsync("godaddy");
        await page.GetByRole(AriaRole.Button, new() { Name = "Diagnose" }).ClickAsync();
        await Assertions.Expect(page.Locator(".verdict .badge").First).ToHaveTextAsync("Blocked");

        // Nothing wider than the screen, and the dark scheme is in force.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        Assert.Equal("rgb(17, 20, 24)", await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
        await PageHost.ScreenshotAsync(page, "narrow-dark");
    }

    [Fact]
    public async Task The_page_loads_nothing_from_elsewhere_and_works_without_javascript()
    {
        var page = await _host.NewPageAsync();
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Why will ACM not issue this certificate?" })).ToBeVisibleAsync();
        Assert.All(requests, url => Assert.StartsWith(_host.BaseUrl, url, StringComparison.Ordinal));
        await PageHost.ScreenshotAsync(page, "empty");

        var context = await _host.Browser.NewContextAsync(new() { BaseURL = _host.BaseUrl, JavaScriptEnabled = false });
        var noScript = await context.NewPageAsync();
        await noScript.GotoAsync("/");
        await noScript.GetByLabel("Names on the certificate").FillAsync("www.example.com");
        await noScript.GetByLabel("Zone text (optional)").FillAsync(GoDaddyZone);
        await noScript.GetByRole(AriaRole.Button, new() { Name = "Diagnose" }).ClickAsync();
        await Assertions.Expect(noScript.Locator(".verdict .badge").First).ToHaveTextAsync("Blocked");
        await Assertions.Expect(noScript.Locator("button.copy").First).Not.ToBeVisibleAsync();
        await Assertions.Expect(noScript.Locator("time.local").First).ToContainTextAsync("UTC");
        await context.DisposeAsync();
    }

    [Fact]
    public async Task The_CA_select_asks_about_another_CA()
    {
        var page = await _host.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Names on the certificate").FillAsync("www.example.com");
        await page.GetByLabel("Zone text (optional)").FillAsync(GoDaddyZone);
        await Assertions.Expect(page.GetByLabel("Certificate authority")).ToHaveValueAsync("amazon");
        await page.GetByLabel("Certificate authority").SelectOptionAsync("letsencrypt");
        await page.GetByRole(AriaRole.Button, new() { Name = "Diagnose" }).ClickAsync();

        // The zone allows only Let's Encrypt: for that CA nothing in DNS stands in the way.
        var verdict = page.Locator(".verdict").First;
        await Assertions.Expect(verdict.Locator(".plain")).ToHaveTextAsync("Nothing in DNS stops Let's Encrypt from issuing for www.example.com.");
        await Assertions.Expect(page.GetByLabel("Certificate authority")).ToHaveValueAsync("letsencrypt");
        await PageHost.ScreenshotAsync(page, "ca-letsencrypt");
    }
}
