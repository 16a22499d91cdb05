using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using RulesApi.AcmFake;
using RulesApi.Fixtures;
using RulesApi.FixtureServer;

namespace RulesApi.Cli.Tests;

/// <summary>The tests that run dotnet pack or publish on src/Cli, which restore its projects: one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class DotnetBuilds
{
    public const string Name = "dotnet builds of src/Cli";
}

/// <summary>
/// Publishes the command as the README tells users to for CI and large zones (<c>dotnet publish src/Cli -c Release
/// -r linux-x64</c>: compiled ahead of time, trimmed) once for the class.
/// </summary>
public sealed class NativeCli : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rulesapi-native-").FullName;

    public string Program => Path.Combine(_folder, "out", "rulesapi");

    public string Folder => _folder;

    public async Task InitializeAsync()
    {
        var rid = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var project = Path.Combine(Processes.Root, "src", "Cli", "Cli.csproj");
        var (exit, output, error) = await Processes.Run("dotnet", TimeSpan.FromMinutes(8), null, "publish", project, "-c", "Release", "-r", rid,
            "-o", Path.Combine(_folder, "out"), "--nologo");
        Assert.True(exit == 0, $"dotnet publish failed ({exit}):\n{output}\n{error}");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The command compiled ahead of time says exactly what the same command says on the JIT (the in-process program
/// here): every fixture in every format, audits with a profile and a certificate, input errors, live checks against
/// the fixture DNS server and a certificate described by the ACM fake. Compiled ahead of time, code that needs
/// reflection or code made at run time fails only when it runs, so what runs here is what the native build is trusted with.
/// </summary>
[Collection(DotnetBuilds.Name)]
public sealed class NativeCliTests(NativeCli native) : IClassFixture<NativeCli>
{
    private static readonly string SampleZone = Path.Combine(Processes.Root, "samples", "example.com.zone");

    public static IEnumerable<object[]> Fixtures() =>
        FixtureScenario.BuiltIn.Keys.Order(StringComparer.Ordinal).SelectMany(name => new[] { "text", "json", "sarif" }.Select(format => new object[] { name, format }));

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Every_fixture_in_every_format_reads_the_same_as_on_the_jit(string scenario, string format) =>
        await SameAsJit("fixture", scenario, "--format", format);

    [Theory]
    [InlineData("rules")]
    [InlineData("fixture")]
    [InlineData("--help")]
    [InlineData("audit", "--help")]
    public async Task Listings_and_help_read_the_same_as_on_the_jit(params string[] args) => await SameAsJit(args);

    [Fact]
    public async Task The_version_is_the_commands_own()
    {
        var version = typeof(RulesApi.Cli.Program).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;

        var (exit, output, _) = await RunNative("--version");

        Assert.Equal(0, exit);
        Assert.Equal(version + "\n", output);
    }

    [Fact]
    public async Task The_rule_catalog_is_found_whole()
    {
        var (exit, output, _) = await RunNative("rules");

        Assert.Equal(0, exit);
        var ids = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')[0]).ToList();
        Assert.Equal(RulesApi.Rules.Runtime.RuleCatalog.BuiltInRules().Select(rule => rule.Metadata.Id).Order(StringComparer.Ordinal), ids);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    [InlineData("sarif")]
    public async Task An_audit_with_names_a_profile_a_ca_and_a_provider_reads_the_same_as_on_the_jit(string format)
    {
        var profile = Write("profile.json", """
            // comments and trailing commas are allowed
            {"rules": {"CAA011": {"enabled": false}, "TTL001": {"severity": "warning", "thresholds": {"maxTtl": 3600}},},
             "cas": {"internal": {"name": "Our CA", "identities": ["ca.example.net"]}}}
            """);

        await SameAsJit("audit", SampleZone, "--domains", "example.com,www.example.com,*.example.com", "--profile", profile, "--provider", "godaddy",
            "--format", format, "--max-findings-per-rule", "2");
        await SameAsJit("audit", SampleZone, "--domains", "www.example.com", "--profile", profile, "--ca", "internal", "--format", format);
    }

    [Fact]
    public async Task An_audit_of_a_described_certificate_reads_the_same_as_on_the_jit()
    {
        var certificate = Write("certificate.json", """
            {"Certificate": {"CertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000001",
              "DomainName": "www.example.com", "Status": "PENDING_VALIDATION", "Type": "AMAZON_ISSUED",
              "DomainValidationOptions": [{"DomainName": "www.example.com", "ValidationMethod": "DNS", "ValidationStatus": "PENDING_VALIDATION",
                "ResourceRecord": {"Name": "_0123456789abcdef0123456789abcdef.www.example.com.", "Type": "CNAME",
                  "Value": "_fedcba9876543210fedcba9876543210.xlfgrmvvlj.acm-validations.aws."}}]}}
            """);

        await SameAsJit("audit", SampleZone, "--certificate", certificate, "--json");
    }

    [Theory]
    [InlineData("bad A 1.2.3\n")]
    [InlineData("www 300 IN CAA 0 issue \"amazon.com\n")]
    [InlineData("$INCLUDE other.zone\n")]
    public async Task A_broken_zone_gives_the_same_file_line_column_messages_and_exit_code(string line)
    {
        var zone = Write("broken.zone", "$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n" + line);

        await SameAsJit("audit", zone, "--origin", "example.com");
        await SameAsJit("audit", zone, "--origin", "example.com", "--format", "sarif");
    }

    [Theory]
    [InlineData("audit", "missing.zone")]
    [InlineData("audit", "--format", "yaml")]
    [InlineData("fixture", "no-such-scenario")]
    public async Task Mistakes_on_the_command_line_read_the_same_as_on_the_jit(params string[] args) => await SameAsJit(args);

    [Fact]
    public async Task A_bad_profile_is_named_with_its_line_and_column()
    {
        var profile = Write("bad-profile.json", "{\"rules\": {\"CAA011\": {\"severty\": \"error\"}}}\n");

        var (exit, _, error) = await SameAsJit("audit", SampleZone, "--profile", profile);

        Assert.Equal(RulesApi.Cli.Program.BadInput, exit);
        Assert.StartsWith($"{profile}:1:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_live_check_against_the_fixture_server_finds_what_the_jit_finds()
    {
        // The resolver is asked with the CD bit through ARSoft.Tools.Net, which was not written for AOT: this runs it.
        var scenario = FixtureScenario.BuiltIn["caa-letsencrypt-only"];
        using var server = FixtureDnsServer.Start(scenario);
        string[] args = ["check", "www.example.com", "--root", server.RootAddress.ToString(), "--resolver", server.ResolverEndpoint,
            "--port", server.Port.ToString(CultureInfo.InvariantCulture), "--json"];

        var jit = await RunJit(args);
        var aot = await RunNative(args);

        Assert.Equal(RulesApi.Cli.Program.Failing, aot.Exit);
        Assert.Equal(jit.Exit, aot.Exit);
        Assert.Equal(Findings(jit.Out), Findings(aot.Out));
        using var report = JsonDocument.Parse(aot.Out);
        Assert.NotEmpty(report.RootElement.GetProperty("queries").EnumerateArray());
    }

    private const string AcmKeyId = "AKIDNATIVE0000000001";
    private const string AcmSecret = "native-secret-key-for-the-fake-only";

    /// <summary>The ACM fake with two certificates pending validation (their CNAMEs are not in the sample zone) and the key the native program signs with.</summary>
    private static async Task<FakeAcm> AcmWithCertificates(params string[] arns)
    {
        var fake = await FakeAcm.StartAsync();
        fake.Keys[AcmKeyId] = (AcmSecret, null);
        for (var i = 0; i < arns.Length; i++)
        {
            var name = $"site{i}.example.com";
            fake.Add(FakeCertificates.Detail(arns[i], "PENDING_VALIDATION",
                [new FakeValidation(name, $"_0000000000000000000000000000004{i}.{name}.", "_abcdefabcdefabcdefabcdefabcdefab.xlfgrmvvlj.acm-validations.aws.")]));
        }

        return fake;
    }

    private Task<(int Exit, string Out, string Error)> RunNativeWithAcmKey(params string[] args) =>
        Processes.Run(native.Program, TimeSpan.FromMinutes(1), new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = AcmKeyId, ["AWS_SECRET_ACCESS_KEY"] = AcmSecret }, args);

    [Fact]
    public async Task A_certificate_by_arn_is_described_by_acm_with_a_signed_request()
    {
        const string Arn = "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000042";
        await using var fake = await AcmWithCertificates(Arn);

        var (exit, output, error) = await RunNativeWithAcmKey("audit", SampleZone, "--certificate-arn", Arn, "--acm-endpoint", fake.Url.ToString(), "--json");

        Assert.True(exit == RulesApi.Cli.Program.Failing, $"exit {exit}: {error}");
        using var report = JsonDocument.Parse(output);
        Assert.Equal(Arn, report.RootElement.GetProperty("certificateSource").GetProperty("arn").GetString());
        Assert.Contains(report.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString()!.StartsWith("VAL", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--json")]
    [InlineData("--max", "1")]
    public async Task An_acm_scan_reads_the_same_as_on_the_jit(params string[] extra)
    {
        // The scan's own JSON document (AccountScanJson) is described at compile time apart from the report's.
        await using var fake = await AcmWithCertificates(
            "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000043",
            "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000044");
        string[] args = ["acm", "scan", "--region", "us-east-1", "--zone-file", SampleZone, "--acm-endpoint", fake.Url.ToString(), .. extra];

        var jitOutput = new StringWriter();
        var jitError = new StringWriter();
        var jitExit = await new RulesApi.Cli.Program(jitOutput, jitError, acmCredentials: new RulesApi.Acm.StaticAcmCredentials(new RulesApi.Acm.AcmCredentials(AcmKeyId, AcmSecret)))
            .RunAsync(args, CancellationToken.None);
        var aot = await RunNativeWithAcmKey(args);

        Assert.True(aot.Exit is RulesApi.Cli.Program.Clean or RulesApi.Cli.Program.Failing, $"exit {aot.Exit}: {aot.Error}");
        Assert.Equal(jitExit, aot.Exit);
        Assert.Equal(Steady(jitOutput.ToString()), Steady(aot.Out));
        Assert.Contains("site0.example.com", aot.Out, StringComparison.Ordinal);
    }

    private static List<string> Findings(string json)
    {
        using var report = JsonDocument.Parse(json);
        return report.RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => $"{f.GetProperty("ruleId").GetString()} {f.GetProperty("name").GetString()} {f.GetProperty("severity").GetString()}").ToList();
    }

    /// <summary>Runs both, and asserts the same exit code, output and errors once times and paths of the moment are set aside.</summary>
    private async Task<(int Exit, string Out, string Error)> SameAsJit(params string[] args)
    {
        var jit = await RunJit(args);
        var aot = await RunNative(args);

        Assert.Equal(jit.Exit, aot.Exit);
        Assert.Equal(Steady(jit.Out), Steady(aot.Out));
        Assert.Equal(Steady(jit.Error), Steady(aot.Error));
        return aot;
    }

    private static async Task<(int Exit, string Out, string Error)> RunJit(string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await new RulesApi.Cli.Program(output, error).RunAsync(args, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    private Task<(int Exit, string Out, string Error)> RunNative(params string[] args) => Processes.Run(native.Program, TimeSpan.FromMinutes(1), null, args);

    /// <summary>
    /// The text without what differs from one run to the next: elapsed times, the clock's minutes (fixes say by when
    /// they are visible), the tags of the keys signed fixtures are signed with at start-up (and so the SARIF fingerprints
    /// of the messages that name them: the messages themselves are compared); and the program's name,
    /// which in-process is the test host's.
    /// </summary>
    private static string Steady(string text) =>
        Regex.Replace(text, @"""elapsedMs"":\d+|\d+ ms\b|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d|\d{4}-\d\d-\d\d \d\d:\d\d UTC|\bkey \d+|""rulesapi/v1"": ""[0-9a-f]+""", "…",
                RegexOptions.None, TimeSpan.FromSeconds(5))
            .Replace("testhost", "rulesapi", StringComparison.Ordinal)
            .Replace("\r\n", "\n", StringComparison.Ordinal);

    private string Write(string name, string text)
    {
        var path = Path.Combine(native.Folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
