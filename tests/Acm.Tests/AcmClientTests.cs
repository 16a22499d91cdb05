using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RulesApi.AcmFake;

namespace RulesApi.Acm.Tests;

/// <summary>The client against the fake ACM on loopback: signatures checked, pages, throttling, refusals, timeouts.</summary>
public sealed class AcmClientTests : IAsyncLifetime
{
    private const string KeyId = "AKIAFAKEACMTEST00001";
    private const string Secret = "fake/Secret+Key/For/The/Loopback/Acm/0001";
    private const string Account = "111122223333";

    private static readonly string Pending1 = $"arn:aws:acm:us-east-1:{Account}:certificate/00000000-0000-0000-0000-000000000001";
    private static readonly string Denied = $"arn:aws:acm:us-east-1:{Account}:certificate/00000000-0000-0000-0000-0000000000dd";
    private static readonly string InEurope = $"arn:aws:acm:eu-west-1:{Account}:certificate/00000000-0000-0000-0000-0000000000e1";

    private FakeAcm _fake = null!;
    private readonly CapturingLogger _log = new();

    public async Task InitializeAsync()
    {
        _fake = await FakeAcm.StartAsync();
        _fake.Keys[KeyId] = (Secret, null);
        _fake.DeniedArns[Denied] = true;
        for (var i = 1; i <= 5; i++)
        {
            _fake.Add(Certificate($"arn:aws:acm:us-east-1:{Account}:certificate/00000000-0000-0000-0000-00000000000{i}", "PENDING_VALIDATION", $"site{i}.example.com"));
        }

        _fake.Add(Certificate($"arn:aws:acm:us-east-1:{Account}:certificate/00000000-0000-0000-0000-0000000000f1", "FAILED", "failed.example.com", "CAA_ERROR"));
        _fake.Add(Certificate($"arn:aws:acm:us-east-1:{Account}:certificate/00000000-0000-0000-0000-0000000000a1", "ISSUED", "issued.example.com"));
        _fake.Add(Certificate(Denied, "PENDING_VALIDATION", "denied.example.com"));
        _fake.Add(Certificate(InEurope, "PENDING_VALIDATION", "europe.example.com"));
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private static System.Text.Json.Nodes.JsonObject Certificate(string arn, string status, string name, string? reason = null) =>
        FakeCertificates.Detail(arn, status,
            [new FakeValidation(name, $"_0123456789abcdef0123456789abcdef.{name}.", "_fedcba9876543210fedcba9876543210.xlfgrmvvlj.acm-validations.aws.")], reason);

    private AcmClient Client(AcmCredentials? credentials = null, Action<AcmOptions>? configure = null)
    {
        var options = new AcmOptions { Enabled = true, ServiceUrl = _fake.Url.ToString(), RetryBaseDelayMs = 1, TimeoutSeconds = 5 };
        configure?.Invoke(options);
        return new AcmClient(new HttpClient(), options, new StaticAcmCredentials(credentials ?? new AcmCredentials(KeyId, Secret)), logger: _log);
    }

    private static CertificateArn Arn(string text) => CertificateArn.TryParse(text, out var arn, out var error) ? arn : throw new ArgumentException(error);

    [Fact]
    public async Task DescribeCertificate_is_signed_for_the_arns_region_and_gives_acms_document()
    {
        var document = await Client().DescribeCertificateAsync(Arn(InEurope), default);

        var certificate = document.GetProperty("Certificate");
        Assert.Equal(InEurope, certificate.GetProperty("CertificateArn").GetString());
        Assert.Equal("europe.example.com", certificate.GetProperty("DomainName").GetString());
        var call = Assert.Single(_fake.Calls);
        Assert.Equal(("CertificateManager.DescribeCertificate", "eu-west-1", "200"), (call.Target, call.Region, call.Outcome));
    }

    [Fact]
    public async Task A_session_token_is_sent_and_signed()
    {
        _fake.Keys["ASIAFAKEACMSESSION01"] = ("session-secret", "the-session-token");

        await Client(new AcmCredentials("ASIAFAKEACMSESSION01", "session-secret", "the-session-token")).DescribeCertificateAsync(Arn(Pending1), default);

        Assert.Equal("200", Assert.Single(_fake.Calls).Outcome);
    }

    [Fact]
    public async Task A_wrong_secret_fails_the_fakes_signature_check_and_says_the_credentials_are_rejected()
    {
        var failure = await Assert.ThrowsAsync<AcmException>(() => Client(new AcmCredentials(KeyId, "not-the-secret")).DescribeCertificateAsync(Arn(Pending1), default));

        Assert.Equal(AcmErrorKind.CredentialsRejected, failure.Kind);
        Assert.Equal(503, failure.HttpStatus);
        Assert.Equal("InvalidSignatureException", failure.AwsErrorCode);
        Assert.Equal("InvalidSignatureException", Assert.Single(_fake.Calls).Outcome);
    }

    [Fact]
    public async Task Throttling_once_is_retried_after_a_back_off()
    {
        _fake.ThrottleNext = 1;

        var document = await Client().DescribeCertificateAsync(Arn(Pending1), default);

        Assert.Equal("PENDING_VALIDATION", document.GetProperty("Certificate").GetProperty("Status").GetString());
        Assert.Equal(["ThrottlingException", "200"], _fake.Calls.Select(c => c.Outcome));
    }

    [Fact]
    public async Task Throttling_on_every_attempt_is_a_503_after_max_attempts()
    {
        _fake.ThrottleNext = 100;

        var failure = await Assert.ThrowsAsync<AcmException>(() => Client(configure: o => o.MaxAttempts = 3).DescribeCertificateAsync(Arn(Pending1), default));

        Assert.Equal(AcmErrorKind.Throttled, failure.Kind);
        Assert.Equal(503, failure.HttpStatus);
        Assert.NotNull(failure.RetryAfter);
        Assert.Equal(3, _fake.Calls.Count);
    }

    [Fact]
    public async Task A_denied_certificate_is_403_naming_the_permission_to_grant()
    {
        var failure = await Assert.ThrowsAsync<AcmException>(() => Client().DescribeCertificateAsync(Arn(Denied), default));

        Assert.Equal(AcmErrorKind.AccessDenied, failure.Kind);
        Assert.Equal(403, failure.HttpStatus);
        Assert.Contains("acm:DescribeCertificate", failure.Message, StringComparison.Ordinal);
        Assert.Contains(Denied, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_certificate_is_404()
    {
        var failure = await Assert.ThrowsAsync<AcmException>(() =>
            Client().DescribeCertificateAsync(Arn($"arn:aws:acm:us-east-1:{Account}:certificate/99999999-0000-0000-0000-000000000000"), default));

        Assert.Equal(AcmErrorKind.NotFound, failure.Kind);
        Assert.Equal(404, failure.HttpStatus);
    }

    [Fact]
    public async Task An_arn_acm_finds_malformed_is_a_400_on_certificateArn()
    {
        // Past RulesApi's own check only by building the record by hand: ACM's ValidationException is mapped all the same.
        var failure = await Assert.ThrowsAsync<AcmException>(() =>
            Client().DescribeCertificateAsync(new CertificateArn("aws", "us-east-1", Account, "a b"), default));

        Assert.Equal(AcmErrorKind.InvalidArn, failure.Kind);
        Assert.Equal(400, failure.HttpStatus);
        Assert.Equal("ValidationException", failure.AwsErrorCode);
    }

    [Fact]
    public async Task Without_credentials_nothing_is_sent()
    {
        var client = new AcmClient(new HttpClient(), new AcmOptions { ServiceUrl = _fake.Url.ToString() }, new StaticAcmCredentials(null));

        var failure = await Assert.ThrowsAsync<AcmException>(() => client.DescribeCertificateAsync(Arn(Pending1), default));

        Assert.Equal(AcmErrorKind.NoCredentials, failure.Kind);
        Assert.Equal(503, failure.HttpStatus);
        Assert.Contains("AWS_ACCESS_KEY_ID", failure.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.Calls);
    }

    [Fact]
    public async Task A_stalled_acm_times_out_on_each_attempt_and_is_a_503()
    {
        _fake.Stall = TimeSpan.FromSeconds(5);
        var watch = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<AcmException>(() =>
            Client(configure: o => { o.TimeoutSeconds = 0.3; o.MaxAttempts = 2; }).DescribeCertificateAsync(Arn(Pending1), default));

        Assert.Equal(AcmErrorKind.Unavailable, failure.Kind);
        Assert.Contains("did not answer within 0.3 s (2 attempts)", failure.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_a_503()
    {
        var closed = $"http://127.0.0.1:{FreePort()}/";

        var failure = await Assert.ThrowsAsync<AcmException>(() =>
            Client(configure: o => { o.ServiceUrl = closed; o.MaxAttempts = 2; }).DescribeCertificateAsync(Arn(Pending1), default));

        Assert.Equal(AcmErrorKind.Unavailable, failure.Kind);
        Assert.Contains("could not be reached", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListCertificates_follows_next_token_through_the_pages_with_the_statuses_asked()
    {
        var listing = await Client().ListCertificatesAsync("us-east-1", ["PENDING_VALIDATION", "FAILED"], 100, default);

        // Five pending, the denied one (listing is allowed) and the failed one; not the issued one, nor Europe's.
        Assert.Equal(7, listing.Certificates.Count);
        Assert.False(listing.Truncated);
        Assert.DoesNotContain(listing.Certificates, c => c.Status == "ISSUED" || c.Arn == InEurope);
        Assert.Contains(listing.Certificates, c => c.Status == "FAILED" && c.Names.SequenceEqual(["failed.example.com"]));
        Assert.Equal(4, _fake.Calls.Count); // pages of 2, 2, 2, 1
    }

    [Fact]
    public async Task ListCertificates_stops_at_the_limit_and_says_more_were_left()
    {
        var listing = await Client().ListCertificatesAsync("us-east-1", ["PENDING_VALIDATION", "FAILED"], 3, default);

        Assert.Equal(3, listing.Certificates.Count);
        Assert.True(listing.Truncated);
        Assert.Equal(2, _fake.Calls.Count);
    }

    [Fact]
    public async Task Credentials_appear_in_no_log_line_nor_error()
    {
        _fake.ThrottleNext = 1;
        await Client().DescribeCertificateAsync(Arn(Pending1), default);
        var denied = await Assert.ThrowsAsync<AcmException>(() => Client().DescribeCertificateAsync(Arn(Denied), default));
        var rejected = await Assert.ThrowsAsync<AcmException>(() => Client(new AcmCredentials(KeyId, "wrong")).DescribeCertificateAsync(Arn(Pending1), default));

        Assert.NotEmpty(_log.Lines);
        var everything = string.Join("\n", _log.Lines.Append(denied.Message).Append(rejected.Message).Append(new AcmCredentials(KeyId, Secret, "tok").ToString()));
        Assert.DoesNotContain(Secret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyId, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("tok)", everything, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrub_takes_key_ids_out_of_acms_messages()
    {
        var scrubbed = AcmClient.Scrub("The key AKIAIOSFODNN7EXAMPLE and ASIAXXXXXXXXXXXXXXXX are not valid", null);

        Assert.Equal("The key [access key] and [access key] are not valid", scrubbed);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class CapturingLogger : ILogger<AcmClient>
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue(formatter(state, exception) + exception);
    }
}
