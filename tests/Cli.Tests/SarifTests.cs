using System.Text.Json;
using NJsonSchema;

namespace RulesApi.Cli.Tests;

/// <summary>
/// <c>--format sarif</c> writes SARIF 2.1.0 that the official schema accepts, with the catalog as the
/// driver's rules, results at the zone's lines, and fingerprints that survive lines moving.
/// </summary>
public sealed class SarifTests : IDisposable
{
    private const string Zone = """
        $TTL 300
        @ SOA ns1 hostmaster 1 7200 3600 1209600 300
        @ NS ns1
        ns1 A 192.0.2.1
        @ CAA 0 issue "letsencrypt.org"
        www A 192.0.2.2
        bad A 1.2.3

        """;

    private static readonly Lazy<Task<JsonSchema>> Schema = new(() =>
        JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "Sarif", "sarif-schema-2.1.0.json")));

    private readonly string _folder = Directory.CreateTempSubdirectory("rulesapi-sarif-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<(int Exit, JsonDocument Log, string Text)> Sarif(string zoneText, params string[] extra)
    {
        var path = Path.Combine(_folder, "example.com.zone");
        await File.WriteAllTextAsync(path, zoneText);
        var output = new StringWriter();
        var exit = await new Program(output, new StringWriter()).RunAsync(["audit", path, "--origin", "example.com", "--format", "sarif", .. extra], CancellationToken.None);
        return (exit, JsonDocument.Parse(output.ToString()), output.ToString());
    }

    [Fact]
    public async Task The_log_is_valid_sarif_2_1_0()
    {
        var (exit, _, text) = await Sarif(Zone, "--domains", "www.example.com", "--help-base-uri", "https://rulesapi.example/rules/");

        var errors = (await Schema.Value).Validate(text);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
        Assert.Equal(Program.Failing, exit);
    }

    [Fact]
    public async Task Results_beyond_the_cap_per_rule_are_counted_in_a_notification_of_a_valid_log()
    {
        var zone = string.Concat(Zone, string.Concat(Enumerable.Range(0, 30).Select(i => $"o{i} CAA 0 issue \"letsencrypt.org\"\n")));

        var (_, log, text) = await Sarif(zone, "--max-findings-per-rule", "10");

        var errors = (await Schema.Value).Validate(text);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
        var run = log.RootElement.GetProperty("runs")[0];
        Assert.Equal(10, run.GetProperty("results").EnumerateArray().Count(r => r.GetProperty("ruleId").GetString() == "CAA001"));
        var note = Assert.Single(run.GetProperty("invocations")[0].GetProperty("toolExecutionNotifications").EnumerateArray(),
            n => n.GetProperty("descriptor").GetProperty("id").GetString() == "CAA001");
        Assert.StartsWith("CAA001: ", note.GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_schema_refuses_a_log_that_is_not_sarif()
    {
        // The check above can fail: a result without its message is refused.
        var (_, _, text) = await Sarif(Zone);
        var broken = text.Replace("\"message\":", "\"messag\":", StringComparison.Ordinal);
        Assert.NotEmpty((await Schema.Value).Validate(broken));
    }

    [Fact]
    public async Task Rules_results_locations_and_the_invocation_are_filled_in()
    {
        var (exit, log, _) = await Sarif(Zone, "--domains", "www.example.com");
        var run = log.RootElement.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        var results = run.GetProperty("results").EnumerateArray().ToList();

        Assert.Contains(rules, r => r.GetProperty("id").GetString() == "CAA001" && r.GetProperty("defaultConfiguration").GetProperty("level").GetString() == "error");
        var parse = Assert.Single(results, r => r.GetProperty("ruleId").GetString() == "ZONE001");
        var region = parse.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region");
        Assert.Equal((7, 7), (region.GetProperty("startLine").GetInt32(), region.GetProperty("startColumn").GetInt32()));
        Assert.Equal("ZONE001", rules[parse.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString());
        var invocation = run.GetProperty("invocations")[0];
        Assert.Equal(exit, invocation.GetProperty("exitCode").GetInt32());
        Assert.True(invocation.GetProperty("executionSuccessful").GetBoolean());
    }

    [Fact]
    public async Task A_result_keeps_its_fingerprint_when_lines_move_and_loses_it_when_the_record_changes()
    {
        static Dictionary<string, (string Fingerprint, int Line)> ByRule(JsonDocument log) =>
            log.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
                .Where(r => r.GetProperty("ruleId").GetString() == "CAA001")
                .ToDictionary(r => r.GetProperty("ruleId").GetString()!, r => (
                    r.GetProperty("partialFingerprints").GetProperty("rulesapi/v1").GetString()!,
                    r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32()));

        var before = ByRule((await Sarif(Zone, "--domains", "www.example.com")).Log)["CAA001"];
        var moved = ByRule((await Sarif("; a comment\n\n" + Zone, "--domains", "www.example.com")).Log)["CAA001"];
        var changed = ByRule((await Sarif(Zone.Replace("letsencrypt.org", "pki.goog", StringComparison.Ordinal), "--domains", "www.example.com")).Log)["CAA001"];

        Assert.Equal(before.Fingerprint, moved.Fingerprint);
        Assert.Equal(before.Line + 2, moved.Line);
        Assert.NotEqual(before.Fingerprint, changed.Fingerprint);
    }
}
