using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace RulesApi.Api.Tests;

/// <summary>
/// The API and the command line are thin mappers onto one Diagnoser: the same request must give the
/// same bytes from POST /diagnose and from <c>rulesapi … --json</c>, both clocks standing still.
/// </summary>
public sealed class ApiAndCliAgreeTests : IClassFixture<ServiceFactory>
{
    private static readonly string Samples = Path.Combine(ServiceFactory.RepositoryRoot, "samples");
    private static readonly string Zone = Path.Combine(Samples, "example.com.zone");
    private static readonly string Certificate = Path.Combine(Samples, "describe-certificate.json");

    private readonly HttpClient _client;

    public ApiAndCliAgreeTests(ServiceFactory factory)
    {
        _client = factory.CreateClient();
    }

    public static TheoryData<string> Cases() => ["zone names provider", "zone audit", "fixture", "certificate", "fixture with names"];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_api_and_the_cli_give_byte_identical_json(string name)
    {
        var zone = await File.ReadAllTextAsync(Zone);
        using var certificate = JsonDocument.Parse(await File.ReadAllTextAsync(Certificate));
        (object Body, string[] Args) request = name switch
        {
            "zone names provider" => (new { zoneFile = zone, origin = "example.com", domains = new[] { "www.example.com", "*.example.com" }, provider = "godaddy" },
                ["audit", Zone, "--origin", "example.com", "--domains", "www.example.com,*.example.com", "--provider", "godaddy", "--json"]),
            "zone audit" => (new { zoneFile = zone }, ["audit", Zone, "--json"]),
            "fixture" => (new { fixture = "caa-subdomain-override" }, ["fixture", "caa-subdomain-override", "--json"]),
            "fixture with names" => (new { fixture = "ns-changed-in-zone-editor", domains = new[] { "example.com" }, provider = "cloudflare" },
                ["fixture", "ns-changed-in-zone-editor", "--domains", "example.com", "--provider", "cloudflare", "--json"]),
            "certificate" => (new { zoneFile = zone, acmCertificate = certificate.RootElement, provider = "namecheap" },
                ["audit", Zone, "--certificate", Certificate, "--provider", "namecheap", "--json"]),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        var response = await _client.PostAsJsonAsync("/diagnose", request.Body);
        var api = await response.Content.ReadAsStringAsync();
        var output = new StringWriter();
        var error = new StringWriter();
        await new Cli.Program(output, error, new FakeTimeProvider(ServiceFactory.Now)).RunAsync(request.Args, CancellationToken.None);

        Assert.Equal("", error.ToString());
        Assert.True(response.IsSuccessStatusCode, api);
        Assert.Equal(api, output.ToString().TrimEnd('\n'));
    }
}
