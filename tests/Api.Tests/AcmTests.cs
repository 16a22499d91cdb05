using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RulesApi.Acm;
using RulesApi.AcmFake;

namespace RulesApi.Api.Tests;

/// <summary>The fake ACM on loopback, its certificates, and the service pointed at it with Acm:Enabled.</summary>
public sealed class AcmServiceFactory : IAsyncLifetime
{
    public const string KeyId = "AKIAAPITESTFAKEACM01";
    public const string Secret = "api/test+secret/for/the/fake/acm/000001";
    public const string Account = "111122223333";
    public const string Token = "_0123456789abcdef0123456789abcdef";
    public const string Target = "_fedcba9876543210fedcba9876543210.xlfgrmvvlj.acm-validations.aws.";

    public static readonly string Published = Arn("0001");
    public static readonly string Missing = Arn("0002");
    public static readonly string Failed = Arn("00f1");
    public static readonly string Denied = Arn("00dd");

    /// <summary>CAA allows Amazon; site1's validation CNAME is published, site2's is not.</summary>
    public const string Zone = $"$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n@ CAA 0 issue \"amazon.com\"\n" +
        $"{Token}.site1 CNAME {Target}\nsite1 A 192.0.2.10\nsite2 A 192.0.2.11\n";

    public static string Arn(string id) => $"arn:aws:acm:us-east-1:{Account}:certificate/00000000-0000-0000-0000-00000000{id}";

    public FakeAcm Fake { get; private set; } = null!;

    public SwitchableCredentials Credentials { get; } = new();

    public Factory Service { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Fake = await FakeAcm.StartAsync();
        Fake.Keys[KeyId] = (Secret, null);
        Fake.DeniedArns[Denied] = true;
        Fake.Add(Certificate(Published, "site1.example.com"));
        Fake.Add(Certificate(Missing, "site2.example.com"));
        Fake.Add(Certificate(Denied, "denied.example.com"));
        Fake.Add(FakeCertificates.Detail(Failed, "FAILED", [new FakeValidation("failed.example.com", null, null, Status: "FAILED")], "CAA_ERROR"));
        Fake.Add(Certificate(Arn("00a1"), "issued.example.com", "ISSUED"));
        Service = new Factory(Fake.Url, Credentials);
    }

    /// <summary>A pending certificate for one name; each name has its own validation token (site1's is <see cref="Token"/>).</summary>
    public static JsonObject Certificate(string arn, string name, string status = "PENDING_VALIDATION")
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(name)));
        var (token, target) = name == "site1.example.com" ? (Token, Target) : ("_" + hash[..32], $"_{hash[32..]}.xlfgrmvvlj.acm-validations.aws.");
        return FakeCertificates.Detail(arn, status, [new FakeValidation(name, $"{token}.{name}.", target)]);
    }

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        await Fake.DisposeAsync();
    }

    /// <summary>Credentials a test can take away.</summary>
    public sealed class SwitchableCredentials : IAcmCredentialSource
    {
        public AcmCredentials? Current { get; set; } = new(KeyId, Secret);

        public Task<AcmCredentials?> GetAsync(CancellationToken cancellationToken) => Task.FromResult(Current);
    }

    public sealed class Factory(Uri fakeUrl, SwitchableCredentials credentials) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(new FakeTimeProvider(ServiceFactory.Now)));
            builder.UseSetting("Acm:Enabled", "true");
            builder.UseSetting("Acm:ServiceUrl", fakeUrl.ToString());
            builder.UseSetting("Acm:RetryBaseDelayMs", "1");
            builder.UseSetting("Acm:MaxScanCertificates", "10");
            builder.UseSetting("Acm:ScanConcurrency", "2");
            builder.ConfigureServices(services => services.AddSingleton<IAcmCredentialSource>(credentials));
        }
    }
}

/// <summary>certificateArn in POST /diagnose, and POST /diagnose/account, against the fake ACM.</summary>
public sealed class AcmTests : IClassFixture<AcmServiceFactory>, IClassFixture<ServiceFactory>
{
    private readonly AcmServiceFactory _acm;
    private readonly HttpClient _client;
    private readonly HttpClient _disabled;

    public AcmTests(AcmServiceFactory acm, ServiceFactory disabled)
    {
        _acm = acm;
        _client = acm.Service.CreateClient();
        _disabled = disabled.CreateClient();
        _acm.Credentials.Current = new AcmCredentials(AcmServiceFactory.KeyId, AcmServiceFactory.Secret);
    }

    private Task<HttpResponseMessage> Post(string path, object body) => _client.PostAsJsonAsync(path, body);

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task A_certificate_by_arn_is_diagnosed_exactly_as_its_description_would_be()
    {
        var byArn = await Post("/diagnose", new { certificateArn = AcmServiceFactory.Missing, zoneFile = AcmServiceFactory.Zone, origin = "example.com" });
        var description = new JsonObject { ["Certificate"] = AcmServiceFactory.Certificate(AcmServiceFactory.Missing, "site2.example.com") };
        var byJson = await Post("/diagnose", new { acmCertificate = description, zoneFile = AcmServiceFactory.Zone, origin = "example.com" });

        Assert.Equal(HttpStatusCode.OK, byArn.StatusCode);
        var arnReport = JsonNode.Parse(await byArn.Content.ReadAsStringAsync())!.AsObject();
        var jsonReport = JsonNode.Parse(await byJson.Content.ReadAsStringAsync())!.AsObject();
        var source = arnReport["certificateSource"]!;
        Assert.Equal("acm:DescribeCertificate", source["from"]!.GetValue<string>());
        Assert.Equal(AcmServiceFactory.Missing, source["arn"]!.GetValue<string>());
        Assert.Equal("us-east-1", source["region"]!.GetValue<string>());
        Assert.Null(jsonReport["certificateSource"]);
        foreach (var report in new[] { arnReport, jsonReport })
        {
            report.Remove("certificateSource");
            report.Remove("elapsedMs");
        }

        Assert.Equal(jsonReport.ToJsonString(), arnReport.ToJsonString());
        Assert.Contains("\"VAL001\"", arnReport.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttled_once_the_lookup_is_retried()
    {
        _acm.Fake.ThrottleNext = 1;

        var response = await Post("/diagnose", new { certificateArn = AcmServiceFactory.Published, zoneFile = AcmServiceFactory.Zone, origin = "example.com" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json(response);
        Assert.Equal(["ok"], body.GetProperty("names").EnumerateArray().Select(n => n.GetProperty("verdict").GetString()));
    }

    public static TheoryData<string, string> MalformedArns() => new()
    {
        { "arn:aws:acm:us-east-1:1234:certificate/x", "12 digits" },
        { "arn:aws:acm:evil.example.com/:111122223333:certificate/x", "not a region name" },
        { "certificate/00000000", "not an ARN" },
    };

    [Theory]
    [MemberData(nameof(MalformedArns))]
    public async Task A_malformed_arn_is_a_400_on_certificateArn_before_any_call(string arn, string reason)
    {
        var before = _acm.Fake.Calls.Count(c => c.Arn == arn);

        var response = await Post("/diagnose", new { certificateArn = arn, provider = "dyn" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Json(response)).GetProperty("errors").EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("reason").GetString()!);
        Assert.Contains(reason, errors["certificateArn"], StringComparison.Ordinal);
        Assert.True(errors.ContainsKey("provider"), "every bad field at once");
        Assert.Equal(before, _acm.Fake.Calls.Count(c => c.Arn == arn));
    }

    [Fact]
    public async Task An_arn_and_a_description_together_are_refused()
    {
        var response = await Post("/diagnose", new { certificateArn = AcmServiceFactory.Published, acmCertificate = new { DomainName = "example.com" }, zoneFile = "" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not both", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_denied_certificate_is_a_403_saying_which_permission_to_grant()
    {
        var response = await Post("/diagnose", new { certificateArn = AcmServiceFactory.Denied, zoneFile = AcmServiceFactory.Zone, origin = "example.com" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Json(response);
        Assert.Contains("acm:DescribeCertificate", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("AccessDeniedException", problem.GetProperty("awsErrorCode").GetString());
    }

    [Fact]
    public async Task An_unknown_certificate_is_a_404()
    {
        var response = await Post("/diagnose", new { certificateArn = AcmServiceFactory.Arn("9999") });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("ACM has no certificate", (await Json(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_credentials_it_is_a_503_saying_where_credentials_come_from()
    {
        _acm.Credentials.Current = null;

        var response = await Post("/diagnose", new { certificateArn = AcmServiceFactory.Published });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("AWS_ACCESS_KEY_ID", (await Json(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejected_credentials_are_a_503_that_shows_no_secret()
    {
        _acm.Credentials.Current = new AcmCredentials(AcmServiceFactory.KeyId, "not-the-secret");

        var response = await Post("/diagnose", new { certificateArn = AcmServiceFactory.Published });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("InvalidSignatureException", text, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain(AcmServiceFactory.KeyId, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_without_Acm_Enabled_refuses_certificateArn_and_scans()
    {
        var lookup = await _disabled.PostAsJsonAsync("/diagnose", new { certificateArn = AcmServiceFactory.Published });
        var scan = await _disabled.PostAsJsonAsync("/diagnose/account", new { region = "us-east-1" });

        Assert.Equal(HttpStatusCode.Forbidden, lookup.StatusCode);
        Assert.Contains("Acm:Enabled", (await Json(lookup)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, scan.StatusCode);
    }

    [Fact]
    public async Task An_account_scan_lists_the_stuck_certificates_through_the_pages_and_diagnoses_each()
    {
        var response = await Post("/diagnose/account", new { region = "us-east-1", zoneFile = AcmServiceFactory.Zone, origin = "example.com", provider = "cloudflare" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json(response);
        Assert.False(body.GetProperty("truncated").GetBoolean());
        var rows = body.GetProperty("certificates").EnumerateArray().ToDictionary(r => r.GetProperty("arn").GetString()!);
        // Pending and failed ones only: the issued certificate is not listed.
        Assert.Equal(new[] { AcmServiceFactory.Published, AcmServiceFactory.Missing, AcmServiceFactory.Failed, AcmServiceFactory.Denied }.Order(), rows.Keys.Order());
        Assert.Equal("ok", rows[AcmServiceFactory.Published].GetProperty("verdict").GetString());
        var missing = rows[AcmServiceFactory.Missing];
        Assert.Equal("blocked", missing.GetProperty("verdict").GetString());
        Assert.Equal("VAL001", missing.GetProperty("firstFixRule").GetString());
        Assert.Equal(["site2.example.com"], missing.GetProperty("names").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal("PENDING_VALIDATION", missing.GetProperty("status").GetString());
        Assert.Equal(AcmServiceFactory.Missing, missing.GetProperty("report").GetProperty("certificateSource").GetProperty("arn").GetString());
        Assert.Equal("ACM001", rows[AcmServiceFactory.Failed].GetProperty("firstFixRule").GetString());
        var denied = rows[AcmServiceFactory.Denied];
        Assert.Equal(403, denied.GetProperty("problem").GetProperty("status").GetInt32());
        Assert.False(denied.TryGetProperty("verdict", out _));
        // Worst first: the blocked certificates lead, the one that could not be described is last.
        var order = body.GetProperty("certificates").EnumerateArray().Select(r => r.TryGetProperty("verdict", out var v) ? v.GetString() : null).ToList();
        Assert.Equal(["blocked", "blocked", "ok", null], order);
        // Pages of two: three ListCertificates calls for four certificates.
        Assert.True(_acm.Fake.Calls.Count(c => c.Target == "CertificateManager.ListCertificates") >= 2);
    }

    [Fact]
    public async Task An_account_scan_stops_at_maxCertificates_and_says_it_was_truncated()
    {
        var response = await Post("/diagnose/account", new { region = "us-east-1", maxCertificates = 2, zoneFile = AcmServiceFactory.Zone, origin = "example.com" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json(response);
        Assert.True(body.GetProperty("truncated").GetBoolean());
        Assert.Equal(2, body.GetProperty("certificates").GetArrayLength());
    }

    [Fact]
    public async Task A_scan_whose_zone_is_not_read_by_the_deadline_gives_each_certificate_a_problem_not_a_500()
    {
        // On this clock a second passes at every reading: the deadline has passed when the reader first looks (at 4096 records).
        using var hurried = _acm.Service.WithWebHostBuilder(builder => builder
            .UseSetting("Api:DeadlineSeconds", "0.05")
            .ConfigureServices(services => services.AddSingleton<TimeProvider>(new RunningClock())));
        var zone = AcmServiceFactory.Zone + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"h{i} CAA 0 issue \"letsencrypt.org\"\n"));

        var response = await hurried.CreateClient().PostAsJsonAsync("/diagnose/account", new { region = "us-east-1", zoneFile = zone, origin = "example.com" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = (await Json(response)).GetProperty("certificates").EnumerateArray().ToList();
        var problems = rows.Select(row => row.GetProperty("problem").GetProperty("status").GetInt32()).ToList();
        // The one ACM will not describe keeps its 403; the others could not be diagnosed in time.
        Assert.Equal(new[] { 403, 504, 504, 504 }, problems.Order());
    }

    /// <summary>A clock on which a second passes each time its timestamp is read; its date stands still.</summary>
    private sealed class RunningClock : TimeProvider
    {
        private long _ticks;

        public override DateTimeOffset GetUtcNow() => ServiceFactory.Now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, TimeSpan.TicksPerSecond);
    }

    public static TheoryData<string, string> BadScans() => new()
    {
        { """{"maxCertificates": 2}""", "region" },
        { """{"region": "us-east-1.evil.example"}""", "region" },
        { """{"region": "us-east-1", "maxCertificates": 11}""", "maxCertificates" },
        { """{"region": "us-east-1", "provider": "dyn"}""", "provider" },
        { """{"region": "us-east-1", "fixture": "no-such-scenario"}""", "fixture" },
    };

    [Theory]
    [MemberData(nameof(BadScans))]
    public async Task A_bad_scan_request_is_a_400_naming_the_field(string json, string field)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await _client.PostAsync("/diagnose/account", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var names = (await Json(response)).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.Contains(field, names);
    }

    [Theory]
    [InlineData("""{"region": "us-east-1", "regoin": "x"}""", "regoin", "did you mean 'region'?")]
    [InlineData("""{"region": 1}""", "region", "region must be a string")]
    [InlineData("""{"region": "us-east-1", "maxCertificates": 1.5}""", "maxCertificates", "maxCertificates must be a whole number")]
    [InlineData("""{"region": "us-east-1", "maxCertificates": "5"}""", "maxCertificates", "maxCertificates must be a whole number")]
    [InlineData("""{"region": "us-east-1", "region": "eu-west-1"}""", "region", "more than once")]
    [InlineData("[]", "body", "must be a JSON object")]
    public async Task A_scan_body_of_the_wrong_shape_is_refused_in_the_api_s_words(string json, string field, string reason)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await _client.PostAsync("/diagnose/account", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        // The serializer's own words named RulesApi.Acm.AccountScanFields, ".NET member", Int32 and token types.
        foreach (var word in new[] { "RulesApi.", ".NET", "Int32", "token type", "System." })
        {
            Assert.DoesNotContain(word, text, StringComparison.Ordinal);
        }

        var error = Assert.Single((await Json(response)).GetProperty("errors").EnumerateArray(), e => e.GetProperty("name").GetString() == field);
        Assert.Contains(reason, error.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_scan_field_is_refused()
    {
        using var content = new StringContent("""{"region": "us-east-1", "regoin": "x"}""", Encoding.UTF8, "application/json");
        var response = await _client.PostAsync("/diagnose/account", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
