using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RulesApi.Api.Features.Health;

namespace RulesApi.Api.Tests;

/// <summary>Liveness (/health/live, and /healthz under its older name) and readiness (/health/ready).</summary>
public sealed class HealthTests : IClassFixture<ServiceFactory>
{
    private readonly HttpClient _client;

    public HealthTests(ServiceFactory factory)
    {
        _client = factory.CreateClient();
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/healthz")]
    public async Task Liveness_answers_ok(string path)
    {
        var response = await _client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_running_instance_is_ready_with_each_check_and_its_free_slots()
    {
        var response = await _client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ready", body.GetProperty("status").GetString());
        Assert.Equal(["catalog", "fixtures", "not-stopping"], body.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.All(body.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("ok").GetBoolean()));
        Assert.Equal(new ClientLimitOptions().LiveConcurrency, body.GetProperty("liveSlots").GetProperty("free").GetInt64());
        Assert.Equal(0, body.GetProperty("liveSlots").GetProperty("waiting").GetInt64());
        Assert.Equal(new ClientLimitOptions().OfflineConcurrency, body.GetProperty("offlineSlots").GetProperty("free").GetInt64());
        var defaults = new ClientLimitOptions();
        Assert.Equal(Math.Max(defaults.SmallOfflineConcurrency, defaults.OfflineConcurrency), body.GetProperty("smallOfflineSlots").GetProperty("free").GetInt64());
    }

    [Fact]
    public async Task An_instance_shutting_down_is_not_ready_and_still_alive()
    {
        // The test host disposes itself when its real lifetime stops: this token stands for ApplicationStopping.
        using var stopping = new CancellationTokenSource();
        using var factory = new ServiceFactory();
        var client = factory.WithWebHostBuilder(host => host.ConfigureTestServices(services => services.AddSingleton(new ShutdownSignal(stopping.Token)))).CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);

        // What SIGTERM does first: the host's lifetime says it is stopping, while requests in flight finish.
        await stopping.CancelAsync();

        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("not-ready", body.GetProperty("status").GetString());
        var check = body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "not-stopping");
        Assert.False(check.GetProperty("ok").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
        Assert.Empty(factory.ContractViolations);
    }
}
