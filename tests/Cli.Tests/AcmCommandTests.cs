using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using RulesApi.Acm;
using RulesApi.AcmFake;

namespace RulesApi.Cli.Tests;

internal static class NoInstanceMetadata
{
    /// <summary>No test may reach AWS: the SDK's credential chain must not ask the instance metadata service.</summary>
    [ModuleInitializer]
    internal static void Disable() => Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
}

/// <summary>--certificate-arn and 'acm scan' against the fake ACM on loopback.</summary>
public sealed class AcmCommandTests : IAsyncLifetime, IDisposable
{
    private const string KeyId = "AKIACLITESTFAKEACM01";
    private const string Secret = "cli/test+secret/for/the/fake/acm/000001";
    private const string Target = "_fedcba9876543210fedcba9876543210.xlfgrmvvlj.acm-validations.aws.";
    private static readonly string Present = Arn("0001");
    private static readonly string Missing = Arn("0002");
    private static readonly string Denied = Arn("00dd");

    private const string Zone = "$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n@ CAA 0 issue \"amazon.com\"\n" +
        $"_00000000000000000000000000000001.site1 CNAME {Target}\nsite1 A 192.0.2.10\nsite2 A 192.0.2.11\n";

    private readonly string _folder = Directory.CreateTempSubdirectory("rulesapi-acm-cli-").FullName;
    private FakeAcm _fake = null!;

    private static string Arn(string id) => $"arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-00000000{id}";

    private static JsonObject Certificate(string arn, string name, string token, string target = Target) =>
        FakeCertificates.Detail(arn, "PENDING_VALIDATION", [new FakeValidation(name, $"{token}.{name}.", target)]);

    public async Task InitializeAsync()
    {
        _fake = await FakeAcm.StartAsync();
        _fake.Keys[KeyId] = (Secret, null);
        _fake.DeniedArns[Denied] = true;
        _fake.Add(Certificate(Present, "site1.example.com", "_00000000000000000000000000000001"));
        _fake.Add(Certificate(Missing, "site2.example.com", "_00000000000000000000000000000002", "_abcdefabcdefabcdefabcdefabcdefab.xlfgrmvvlj.acm-validations.aws."));
        _fake.Add(Certificate(Denied, "denied.example.com", "_00000000000000000000000000000003"));
        File.WriteAllText(ZoneFile, Zone);
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string ZoneFile => Path.Combine(_folder, "example.com.zone");

    private async Task<(int Exit, string Out, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        // The diagnosis clock stands still so two runs agree to the second (visibleBy); ACM requests are signed with the real time.
        var exit = await new Program(output, error, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero)),
            new StaticAcmCredentials(new AcmCredentials(KeyId, Secret))).RunAsync(args, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Certificate_arn_gives_the_diagnosis_of_the_description_acm_returns()
    {
        var description = Path.Combine(_folder, "described.json");
        File.WriteAllText(description, new JsonObject
        {
            ["Certificate"] = Certificate(Missing, "site2.example.com", "_00000000000000000000000000000002",
            "_abcdefabcdefabcdefabcdefabcdefab.xlfgrmvvlj.acm-validations.aws.")
        }.ToJsonString());

        var byArn = await Run("audit", ZoneFile, "--origin", "example.com", "--certificate-arn", Missing, "--acm-endpoint", _fake.Url.ToString(), "--json");
        var byFile = await Run("audit", ZoneFile, "--origin", "example.com", "--certificate", description, "--json");

        Assert.Equal((ExitCodes.Failing, ""), (byArn.Exit, byArn.Error));
        var arnReport = JsonNode.Parse(byArn.Out)!.AsObject();
        var fileReport = JsonNode.Parse(byFile.Out)!.AsObject();
        Assert.Equal(Missing, arnReport["certificateSource"]!["arn"]!.GetValue<string>());
        foreach (var report in new[] { arnReport, fileReport })
        {
            report.Remove("certificateSource");
            report.Remove("elapsedMs");
        }

        Assert.Equal(fileReport.ToJsonString(), arnReport.ToJsonString());
    }

    [Fact]
    public async Task A_malformed_arn_is_a_usage_error_and_acm_is_not_called()
    {
        var (exit, _, error) = await Run("audit", ZoneFile, "--certificate-arn", "arn:aws:acm:us-east-1:42:certificate/x", "--acm-endpoint", _fake.Url.ToString());

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("--certificate-arn: names the account '42'", error, StringComparison.Ordinal);
        Assert.Empty(_fake.Calls);
    }

    [Fact]
    public async Task A_denied_certificate_is_one_line_naming_the_permission()
    {
        var (exit, _, error) = await Run("audit", ZoneFile, "--certificate-arn", Denied, "--acm-endpoint", _fake.Url.ToString());

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.StartsWith("rulesapi: ACM: Not allowed to read from ACM: ", error, StringComparison.Ordinal);
        Assert.Contains("acm:DescribeCertificate", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Acm_scan_prints_a_row_per_stuck_certificate_and_fails_on_a_blocked_one()
    {
        _fake.ThrottleNext = 1;

        var (exit, output, error) = await Run("acm", "scan", "--region", "us-east-1", "--zone-file", ZoneFile, "--origin", "example.com", "--acm-endpoint", _fake.Url.ToString());

        Assert.Equal(ExitCodes.Failing, exit);
        Assert.Equal("", error);
        var lines = output.TrimEnd().Split('\n');
        Assert.StartsWith("certificate", lines[0], StringComparison.Ordinal);
        Assert.Matches($@"^{Missing}\s+site2\.example\.com\s+PENDING_VALIDATION\s+blocked\s+VAL001 ", lines[1]);
        Assert.Matches($@"^{Present}\s+site1\.example\.com\s+PENDING_VALIDATION\s+ok\s+-", lines[2]);
        Assert.Matches($@"^{Denied}\s+denied\.example\.com\s+PENDING_VALIDATION\s+not-diagnosed\s+Not allowed to read from ACM", lines[3]);
        Assert.Equal("3 certificate(s) in us-east-1 with status PENDING_VALIDATION or FAILED.", lines[4].TrimEnd());
    }

    [Fact]
    public async Task Acm_scan_as_json_is_the_apis_document()
    {
        var (_, output, _) = await Run("acm", "scan", "--region", "us-east-1", "--max", "1", "--zone-file", ZoneFile, "--origin", "example.com", "--acm-endpoint", _fake.Url.ToString(), "--json");

        var report = JsonNode.Parse(output)!;
        Assert.True(report["truncated"]!.GetValue<bool>());
        Assert.Single(report["certificates"]!.AsArray());
    }

    [Theory]
    [InlineData("Option '--region' is required", "acm", "scan")]
    [InlineData("--region: 'us-east-1.evil.example' is not a region name", "acm", "scan", "--region", "us-east-1.evil.example")]
    [InlineData("--max takes a whole number from 1 to 1000, not 0", "acm", "scan", "--region", "us-east-1", "--max", "0")]
    public async Task Scan_mistakes_are_one_line_and_exit_2(string message, params string[] args)
    {
        var (exit, _, error) = await Run(args);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
