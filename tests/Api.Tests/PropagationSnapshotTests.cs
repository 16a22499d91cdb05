using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Snapshooter;
using Snapshooter.Xunit;

namespace RulesApi.Api.Tests;

/// <summary>
/// The words of the TTL and NS findings, held by snapshot: each propagation scenario diagnosed through
/// POST /diagnose, at the factory's fixed "now", so the "visible by" times are stable.
/// </summary>
public sealed class PropagationSnapshotTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _factory;

    public PropagationSnapshotTests(ServiceFactory factory)
    {
        _factory = factory;
    }

    public static TheoryData<string> Scenarios() =>
        ["ns-changed-in-zone-editor", "ns-server-lags", "ns-server-refuses", "ns-resolver-cached", "ttl-long", "ttl-soa-timers"];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Ttl_and_ns_findings_read_as_recorded(string fixture)
    {
        var response = await _factory.CreateClient().PostAsJsonAsync("/diagnose", new { fixture });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        var findings = new JsonArray(body["findings"]!.AsArray()
            .Where(f => f!["ruleId"]!.GetValue<string>() is var id && (id.StartsWith("NS", StringComparison.Ordinal) || id.StartsWith("TTL", StringComparison.Ordinal)))
            .Select(f => f!.DeepClone()).ToArray());
        Assert.NotEmpty(findings);
        Snapshot.Match(new JsonObject { ["names"] = body["names"]!.DeepClone(), ["findings"] = findings }.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }),
            SnapshotNameExtension.Create(fixture));
    }
}
