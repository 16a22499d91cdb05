using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using RulesApi.Fixtures;
using RulesApi.FixtureServer;

namespace RulesApi.Page.Tests;

/// <summary>
/// The real service on Kestrel at 127.0.0.1 on a free port (Chromium needs a socket, not the in-memory
/// test server), configured as an operator would to iterate from the loopback fixture DNS server, so a
/// live diagnosis never leaves this machine; and one headless Debian chromium shared by the tests.
/// Its clock stands still, so the times on screenshots are stable.
/// </summary>
public sealed class PageHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private readonly FixtureDnsServer _dns = FixtureDnsServer.Start(FixtureScenario.BuiltIn["caa-subdomain-override"]);
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Screenshots go under the test output (bin/), never into the source tree.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Debian's chromium; PLAYWRIGHT_CHROMIUM overrides the path.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("PLAYWRIGHT_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Dns:RootServers:0", _dns.RootAddress.ToString())
            .UseSetting("Dns:Resolvers:0", _dns.ResolverEndpoint)
            .UseSetting("Dns:QueryPort", _dns.Port.ToString(CultureInfo.InvariantCulture))
            // The loopback lab: its servers sit on 127.0.10.x, which production refuses to query.
            .UseSetting("Dns:AllowPrivateAddresses", "true")
            .UseSetting("Dns:QueryTimeoutMs", "2000")
            .ConfigureServices(services => services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"No chromium at {ChromiumPath}: the page tests drive Debian's chromium. Install it with 'apt-get install -y chromium' " +
                "(.ci/run does), or set PLAYWRIGHT_CHROMIUM to a Chromium executable.");
        }

        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = address.TrimEnd('/');

        Directory.CreateDirectory(ScreenshotFolder);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
    }

    /// <summary>A fresh page (its own context: cookies, clipboard permission, size and colour scheme).</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900, ColorScheme scheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme,
            Locale = "en-GB",
            TimezoneId = "Europe/Paris",
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        context.SetDefaultTimeout(15000);
        return await context.NewPageAsync();
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await base.DisposeAsync();
        _dns.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class PageCollection : ICollectionFixture<PageHost>
{
    public const string Name = "page";
}
