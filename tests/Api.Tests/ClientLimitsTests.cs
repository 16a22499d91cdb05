using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using RulesApi.Fixtures;
using RulesApi.FixtureServer;

namespace RulesApi.Api.Tests;

/// <summary>Limits per client (429) and per service (503), each with a problem document and Retry-After.</summary>
public sealed class ClientLimitsTests : IDisposable
{
    private readonly ServiceFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_client_over_its_rate_gets_429_with_retry_after_and_health_checks_are_not_counted()
    {
        var client = _factory.WithWebHostBuilder(host => host.UseSetting("Api:Limits:RequestsPerMinute", "3")).CreateClient();

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await client.GetAsync(new Uri("/rules", UriKind.Relative)));
        }

        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        var refused = answers.Last();
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture), 1, 60);
        Assert.Contains("Api:Limits:RequestsPerMinute", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var health in new[] { "/healthz", "/health/live", "/health/ready" })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(health, UriKind.Relative))).StatusCode);
        }
    }

    [Fact]
    public async Task Clients_with_their_own_api_key_are_counted_apart()
    {
        var client = _factory.WithWebHostBuilder(host => host
            .UseSetting("Api:Limits:RequestsPerMinute", "1")
            .UseSetting("Api:Limits:ApiKeyHeader", "X-Api-Key")).CreateClient();

        async Task<HttpStatusCode> Get(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/rules");
            request.Headers.Add("X-Api-Key", key);
            return (await client.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await Get("alpha"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Get("alpha"));
        Assert.Equal(HttpStatusCode.OK, await Get("beta"));
    }

    [Fact]
    public async Task Live_diagnoses_beyond_the_slots_and_queue_get_503_while_zone_audits_go_on()
    {
        // Every answer of the fixture server is held back 3 s, so one live diagnosis holds the only slot for seconds.
        using var server = FixtureDnsServer.Start(FixtureScenario.BuiltIn["healthy"], delay: TimeSpan.FromSeconds(3));
        var client = _factory.WithWebHostBuilder(host => host
            .UseSetting("Dns:RootServers:0", server.RootAddress.ToString())
            .UseSetting("Dns:Resolvers:0", server.ResolverEndpoint)
            .UseSetting("Dns:QueryPort", server.Port.ToString(CultureInfo.InvariantCulture))
            .UseSetting("Dns:AllowPrivateAddresses", "true")
            .UseSetting("Dns:DeadlineSeconds", "8")
            .UseSetting("Api:Limits:LiveConcurrency", "1")
            .UseSetting("Api:Limits:LiveQueue", "0")
            .UseSetting("Api:Limits:BusyRetryAfterSeconds", "7")).CreateClient();
        var live = new { domains = new[] { "www.example.com" } };

        // Three at once, each holding a slot for seconds: one runs, the others find no slot and no queue.
        var lives = Enumerable.Range(0, 3).Select(_ => client.PostAsJsonAsync("/diagnose", live)).ToList();
        // Zone audits have slots of their own.
        var audit = await client.PostAsJsonAsync("/diagnose", new { zoneFile = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n", origin = "example.com" });
        var answers = await Task.WhenAll(lives);

        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.OK);
        var busy = answers.FirstOrDefault(a => a.StatusCode == HttpStatusCode.ServiceUnavailable) ?? throw new InvalidOperationException(string.Join(" | ", await Task.WhenAll(answers.Select(async a => $"{(int)a.StatusCode} {await a.Content.ReadAsStringAsync()}"))));
        Assert.Equal("application/problem+json", busy.Content.Headers.ContentType?.MediaType);
        Assert.Equal("7", busy.Headers.GetValues("Retry-After").Single());
    }

    [Fact]
    public async Task A_diagnosis_waits_for_a_slot_no_longer_than_its_deadline_allows_and_the_wait_counts_against_it()
    {
        // Every answer held back 2 s: the one slot is taken for the whole deadline of 3 s by the first diagnosis.
        using var server = FixtureDnsServer.Start(FixtureScenario.BuiltIn["healthy"], delay: TimeSpan.FromSeconds(2));
        var client = _factory.WithWebHostBuilder(host => host
            .UseSetting("Dns:RootServers:0", server.RootAddress.ToString())
            .UseSetting("Dns:Resolvers:0", server.ResolverEndpoint)
            .UseSetting("Dns:QueryPort", server.Port.ToString(CultureInfo.InvariantCulture))
            .UseSetting("Dns:AllowPrivateAddresses", "true")
            .UseSetting("Dns:DeadlineSeconds", "3")
            .UseSetting("Api:Limits:LiveConcurrency", "1")
            .UseSetting("Api:Limits:LiveQueue", "8")
            .UseSetting("Api:Limits:QueueWaitSeconds", "30")).CreateClient();
        var live = new { domains = new[] { "www.example.com" } };

        async Task<(HttpResponseMessage Answer, TimeSpan Took)> Timed()
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var answer = await client.PostAsJsonAsync("/diagnose", live);
            return (answer, clock.Elapsed);
        }

        // The first diagnosis of a process pays for compiling the whole path: not what is timed here.
        await client.PostAsJsonAsync("/diagnose", live);

        // Four at once and one slot: the queue is long enough, but waiting for the slot would outlast the deadline.
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Timed()));

        Assert.Contains(answers, a => a.Answer.StatusCode == HttpStatusCode.OK);
        Assert.Contains(answers, a => a.Answer.StatusCode == HttpStatusCode.ServiceUnavailable && a.Answer.Headers.RetryAfter is not null);
        // Queued or not, no answer comes later than the deadline plus a second (the goal of the soak, bench/soak.sh).
        Assert.All(answers, a => Assert.True(a.Took < TimeSpan.FromSeconds(4), $"{(int)a.Answer.StatusCode} after {a.Took.TotalSeconds:0.0} s"));
    }
}
