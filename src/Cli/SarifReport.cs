using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Cli;

/// <summary>
/// A report as SARIF 2.1.0 (OASIS), the format GitHub code scanning and other CI annotators read: one
/// run, the rule catalog as <c>tool.driver.rules</c>, one result per finding at its line and column in
/// the zone file, and partial fingerprints that keep a result's identity when lines move.
/// </summary>
public static partial class SarifReport
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    /// <summary>The key of the fingerprint: its recipe may change only with a new version suffix.</summary>
    public const string FingerprintKey = "rulesapi/v1";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="file">The zone file's path as given (the artifact results point into); null for fixtures and live checks.</param>
    /// <param name="helpBaseUri">Where rule pages are served (each rule's helpUri is this plus its id); none when null.</param>
    public static void Write(DiagnosisReport report, RuleCatalog catalog, string? file, int exitCode, string? helpBaseUri, TextWriter output)
    {
        var rules = catalog.Rules.Select(r => r.Metadata).ToList();
        var index = rules.Select((rule, i) => (rule.Id, i)).ToDictionary(pair => pair.Id, pair => pair.i, StringComparer.Ordinal);
        var driver = new JsonObject
        {
            ["name"] = "rulesapi",
            ["semanticVersion"] = Version(),
            ["informationUri"] = "https://www.rfc-editor.org/rfc/rfc8659",
            ["rules"] = new JsonArray([.. rules.Select(rule => Rule(rule, helpBaseUri))]),
        };
        var run = new JsonObject
        {
            ["tool"] = new JsonObject { ["driver"] = driver },
            ["invocations"] = new JsonArray(new JsonObject
            {
                ["executionSuccessful"] = true,
                ["exitCode"] = exitCode,
                // A rule that found more than the cap says so where SARIF viewers show the run's messages.
                ["toolExecutionNotifications"] = new JsonArray([.. (report.Truncated ?? []).Select(cut => (JsonNode)new JsonObject
                {
                    ["level"] = "note",
                    ["descriptor"] = new JsonObject { ["id"] = cut.RuleId },
                    ["message"] = new JsonObject { ["text"] = $"{cut.RuleId}: {cut.Omitted} more results not reported (at most {cut.Reported} per rule; --max-findings-per-rule)" },
                })]),
            }),
            ["results"] = new JsonArray([.. report.Findings.Select(f => Result(f, index, file))]),
        };
        if (file is not null)
        {
            run["artifacts"] = new JsonArray(new JsonObject { ["location"] = new JsonObject { ["uri"] = ArtifactUri(file) } });
        }

        var log = new JsonObject
        {
            ["$schema"] = SchemaUri,
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(run),
        };
        output.WriteLine(log.ToJsonString(Indented));
    }

    private static JsonObject Rule(RuleMetadata rule, string? helpBaseUri)
    {
        var descriptor = new JsonObject
        {
            ["id"] = rule.Id,
            ["name"] = rule.Title,
            ["shortDescription"] = new JsonObject { ["text"] = rule.Title },
            ["fullDescription"] = new JsonObject { ["text"] = rule.Summary },
            ["help"] = new JsonObject { ["text"] = $"{rule.Summary} References: {string.Join(" ", rule.References)}" },
            ["defaultConfiguration"] = new JsonObject { ["level"] = Level(rule.DefaultSeverity) },
            ["properties"] = new JsonObject { ["family"] = rule.Family, ["severity"] = Word(rule.DefaultSeverity) },
        };
        if (helpBaseUri is not null)
        {
            descriptor["helpUri"] = helpBaseUri + rule.Id;
        }

        return descriptor;
    }

    private static JsonObject Result(Finding finding, Dictionary<string, int> index, string? file)
    {
        var result = new JsonObject
        {
            ["ruleId"] = finding.RuleId,
            ["level"] = Level(finding.Severity),
            ["message"] = new JsonObject { ["text"] = finding.Message },
            ["partialFingerprints"] = new JsonObject { [FingerprintKey] = Fingerprint(finding) },
            ["properties"] = new JsonObject
            {
                ["name"] = finding.Name,
                ["severity"] = Word(finding.Severity),
                ["messageId"] = finding.MessageId,
                ["inconclusive"] = finding.Inconclusive,
            },
        };
        if (index.TryGetValue(finding.RuleId, out var ruleIndex))
        {
            result["ruleIndex"] = ruleIndex;
        }

        var logical = new JsonArray(new JsonObject { ["fullyQualifiedName"] = finding.Name, ["kind"] = "resource" });
        if (file is not null)
        {
            // A finding about a name rather than a line points at the top of the file: code scanning needs a place.
            var at = finding.Location;
            result["locations"] = new JsonArray(new JsonObject
            {
                ["physicalLocation"] = new JsonObject
                {
                    ["artifactLocation"] = new JsonObject { ["uri"] = ArtifactUri(file), ["index"] = 0 },
                    ["region"] = new JsonObject { ["startLine"] = Math.Max(1, at?.Line ?? 1), ["startColumn"] = Math.Max(1, at?.Column ?? 1) },
                },
                ["logicalLocations"] = logical,
            });
        }
        else
        {
            result["locations"] = new JsonArray(new JsonObject { ["logicalLocations"] = logical });
        }

        if (finding.Remediation is { } fix)
        {
            result["properties"]!["fix"] = fix.Summary;
        }

        return result;
    }

    /// <summary>
    /// What identifies a finding across runs: the rule, the message, the name and the evidence without its
    /// line numbers — so a record that moves keeps its result, and a changed record becomes a new one.
    /// </summary>
    public static string Fingerprint(Finding finding)
    {
        var evidence = finding.Evidence.Select(line => LineSuffix().Replace(line, ""));
        var text = string.Join("\n", new[] { finding.RuleId, finding.MessageId, finding.Name.ToLowerInvariant() }.Concat(evidence));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }

    /// <summary>A relative path stays relative (as GitHub wants it, against the repository root); an absolute one becomes a file URI.</summary>
    private static string ArtifactUri(string file) =>
        Path.IsPathRooted(file) ? new Uri(Path.GetFullPath(file)).AbsoluteUri : file.Replace('\\', '/');

    private static string Level(Severity severity) => severity switch
    {
        Severity.Critical or Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };

    private static string Word(Severity severity) => JsonNamingPolicy.KebabCaseLower.ConvertName(severity.ToString());

    private static string Version() =>
        (typeof(SarifReport).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    [GeneratedRegex(@"\s*; line \d+$")]
    private static partial Regex LineSuffix();
}
