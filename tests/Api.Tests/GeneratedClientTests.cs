using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RulesApi.Rules.Runtime;

namespace RulesApi.Api.Tests;

/// <summary>
/// A client generated from the committed openapi.yaml (NSwag's C# generator, its default settings) compiles and
/// talks to the real service: every operation's typed result, written back as JSON, is the JSON the service sent
/// (so enums, nullable fields and nested records all bind), and a problem arrives as the generated exception with
/// its problem document. When this fails, the document (src/Api/Contract) is what to fix, not this test.
/// </summary>
public sealed class GeneratedClientTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;
    private readonly BodyRecorder _recorder = new();
    private readonly dynamic _client;

    public GeneratedClientTests(ServiceFactory factory)
    {
        _factory = factory;
        _client = GeneratedClient.FromOpenApiYaml.Client(factory.CreateDefaultClient(_recorder));
    }

    [Fact]
    public async Task Every_fixture_diagnosis_round_trips_through_the_generated_client()
    {
        var fixtures = await _client.ListFixturesAsync();
        RoundTrips(fixtures);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var fixture in fixtures.Fixtures)
        {
            names.Add((string)fixture.Name);
        }

        Assert.True(names.Count > 10, $"only {names.Count} fixtures listed");
        foreach (var name in names)
        {
            var fields = GeneratedClient.FromOpenApiYaml.New("DiagnosisRequestFields");
            fields.Fixture = name;
            var report = await _client.DiagnoseAsync(fields, null, null, null, null);
            RoundTrips(report);
            foreach (var verdict in report.Names)
            {
                seen.Add("verdict " + Sent(verdict.Verdict));
            }

            foreach (var finding in report.Findings)
            {
                seen.Add("severity " + Sent(finding.Severity));
                if (finding.Remediation?.Records is { } records)
                {
                    foreach (var record in records)
                    {
                        seen.Add("action " + Sent(record.Action));
                    }
                }
            }
        }

        // The enums bound from every string the fixtures make the service send.
        Assert.Superset(new HashSet<string> { "verdict blocked", "verdict at-risk", "verdict ok", "severity error", "severity warning", "severity notice", "action add", "action remove" }, seen);
    }

    [Fact]
    public async Task A_fixture_scenario_reads_as_typed_values()
    {
        var fields = GeneratedClient.FromOpenApiYaml.New("DiagnosisRequestFields");
        fields.Fixture = "caa-subdomain-override";
        fields.Provider = "godaddy";

        var report = await _client.DiagnoseAsync(fields, null, null, null, null);

        RoundTrips(report);
        var www = Single(report.Names, (Func<dynamic, bool>)(n => n.Name == "www.example.com."));
        Assert.Equal("Blocked", ((object)www.Verdict).ToString());
        var caa001 = Single(report.Findings, (Func<dynamic, bool>)(f => f.RuleId == "CAA001"));
        Assert.Equal("Error", ((object)caa001.Severity).ToString());
        var add = Single(caa001.Remediation.Records, (Func<dynamic, bool>)(r => ((object)r.Action).ToString() == "Add"));
        Assert.Equal("CAA", (string)add.Type);
        Assert.Contains("amazon.com", (string)add.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_catalog_a_rule_and_the_health_checks_round_trip()
    {
        var rules = await _client.ListRulesAsync();
        RoundTrips(rules);
        var count = 0;
        foreach (var _ in rules.Rules)
        {
            count++;
        }

        Assert.Equal(_factory.Services.GetRequiredService<RuleCatalog>().Rules.Count, count);

        var ns001 = await _client.GetRuleAsync("NS001");
        RoundTrips(ns001);
        Assert.Equal("NS001", (string)ns001.Rule.Id);

        var health = await _client.HealthAsync();
        RoundTrips(health);
        Assert.Equal("ok", (string)health.Status);

        var live = await _client.LivenessAsync();
        RoundTrips(live);
        var ready = await _client.ReadinessAsync();
        RoundTrips(ready);
        Assert.Equal("ready", Sent(ready.Status));
    }

    [Fact]
    public async Task A_problem_arrives_as_the_generated_exception_with_its_problem_document()
    {
        var fields = GeneratedClient.FromOpenApiYaml.New("DiagnosisRequestFields");
        fields.Domains = new List<string> { "www.example.com", "exa mple.com" };

        var invalid = await CatchAsync(() => _client.DiagnoseAsync(fields, null, null, null, null));

        Assert.Equal("ApiException`1", invalid.GetType().Name);
        Assert.Equal(400, (int)invalid.StatusCode);
        Assert.Equal("/problems/validation", (string)invalid.Result.Type);
        Assert.Matches("^[0-9a-f]{32}$", (string)invalid.Result.TraceId);
        Assert.Equal("domains[1]", (string)Single(invalid.Result.Errors, (Func<dynamic, bool>)(_ => true)).Name);

        var missing = await CatchAsync(() => _client.GetRuleAsync("NOPE999"));
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Equal("/problems/not-found", (string)missing.Result.Type);
    }

    /// <summary>The typed result, written back as JSON by the client's own serializer, is the JSON the service sent.</summary>
    private void RoundTrips(object typed)
    {
        var sent = JsonNode.Parse(_recorder.Last)!;
        var written = JsonNode.Parse(Newtonsoft.Json.JsonConvert.SerializeObject(typed))!;
        var differences = new List<string>();
        Compare("$", sent, written, differences);
        Assert.True(differences.Count == 0, "The generated client does not read back what the service sent:\n" + string.Join("\n", differences.Take(20)));
    }

    /// <summary>Absent and null are the same; numbers are compared by value (3600 and 3600.0).</summary>
    private static void Compare(string path, JsonNode? sent, JsonNode? written, List<string> differences)
    {
        switch (sent, written)
        {
            case (null, null):
                return;
            case (JsonObject a, JsonObject b):
                foreach (var key in a.Select(p => p.Key).Union(b.Select(p => p.Key)).Where(k => a[k] is not null || b[k] is not null))
                {
                    Compare($"{path}.{key}", a[key], b[key], differences);
                }

                return;
            case (JsonArray a, JsonArray b) when a.Count == b.Count:
                for (var i = 0; i < a.Count; i++)
                {
                    Compare($"{path}[{i}]", a[i], b[i], differences);
                }

                return;
            case (JsonValue a, JsonValue b) when a.GetValueKind() == System.Text.Json.JsonValueKind.Number && b.GetValueKind() == System.Text.Json.JsonValueKind.Number:
                if (decimal.Parse(a.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture) != decimal.Parse(b.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture))
                {
                    differences.Add($"{path}: sent {a.ToJsonString()}, read back {b.ToJsonString()}");
                }

                return;
            default:
                if (!JsonNode.DeepEquals(sent, written))
                {
                    differences.Add($"{path}: sent {sent?.ToJsonString() ?? "nothing"}, read back {written?.ToJsonString() ?? "nothing"}");
                }

                return;
        }
    }

    /// <summary>The string an enum of the generated client stands for (its EnumMember value): what it was read from.</summary>
    private static string Sent(object value) => Newtonsoft.Json.JsonConvert.SerializeObject(value, new Newtonsoft.Json.Converters.StringEnumConverter()).Trim('"');

    private static dynamic Single(dynamic items, Func<dynamic, bool> where)
    {
        var found = new List<dynamic>();
        foreach (var item in items)
        {
            if (where(item))
            {
                found.Add(item);
            }
        }

        return Assert.Single(found);
    }

    private static async Task<dynamic> CatchAsync(Func<dynamic> call)
    {
        try
        {
            await call();
        }
        catch (Exception error) when (error.GetType().Namespace == GeneratedClient.Namespace)
        {
            return error;
        }

        throw new Xunit.Sdk.XunitException("The call succeeded; a problem was expected");
    }

    /// <summary>Keeps the body of the last response, so a typed result is compared with exactly what was sent.</summary>
    private sealed class BodyRecorder : DelegatingHandler
    {
        private readonly ConcurrentQueue<string> _bodies = new();

        public string Last => _bodies.Last();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            _bodies.Enqueue(body);
            var copy = new StringContent(body);
            copy.Headers.Clear();
            foreach (var header in response.Content.Headers)
            {
                copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = copy;
            return response;
        }
    }
}
