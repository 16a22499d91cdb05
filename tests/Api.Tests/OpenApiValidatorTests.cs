using System.Diagnostics;

namespace RulesApi.Api.Tests;

/// <summary>
/// openapi.yaml, and the document the service serves, pass an OpenAPI 3.1 validator: the official
/// meta-schema of the specification, through tools/openapi-validator (npm's
/// @seriousme/openapi-schema-validator, pinned by its package-lock.json; .ci/run installs it with npm ci).
/// </summary>
public sealed class OpenApiValidatorTests : IClassFixture<ServiceFactory>
{
    private static readonly string ToolFolder = Path.Combine(ServiceFactory.RepositoryRoot, "tools", "openapi-validator");

    private readonly HttpClient _client;

    public OpenApiValidatorTests(ServiceFactory factory)
    {
        _client = factory.CreateClient();
    }

    [Fact]
    public async Task Openapi_yaml_passes_the_openapi_3_1_validator()
    {
        var (exitCode, output) = await ValidateAsync(await File.ReadAllTextAsync(Path.Combine(ServiceFactory.RepositoryRoot, "openapi.yaml")));

        Assert.True(exitCode == 0, "openapi.yaml fails the OpenAPI 3.1 validator:\n" + output);
        Assert.Contains("OpenAPI 3.1.0", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/openapi.yaml")]
    [InlineData("/openapi.json")]
    public async Task The_served_document_passes_the_openapi_3_1_validator(string path)
    {
        var (exitCode, output) = await ValidateAsync(await _client.GetStringAsync(new Uri(path, UriKind.Relative)));

        Assert.True(exitCode == 0, $"{path} fails the OpenAPI 3.1 validator:\n" + output);
    }

    [Fact]
    public async Task The_validator_refuses_a_broken_document()
    {
        // The check can fail: a document without a title, with a number for an operation id and a $ref to nothing.
        var yaml = (await File.ReadAllTextAsync(Path.Combine(ServiceFactory.RepositoryRoot, "openapi.yaml")))
            .Replace("  title: RulesApi", "  name: RulesApi", StringComparison.Ordinal)
            .Replace("operationId: listRules", "operationId: 12", StringComparison.Ordinal);

        var (exitCode, output) = await ValidateAsync(yaml);

        Assert.Equal(1, exitCode);
        Assert.Contains("/info: must have required property 'title'", output, StringComparison.Ordinal);
        Assert.Contains("operationId: must be string", output, StringComparison.Ordinal);

        var (dangling, why) = await ValidateAsync((await File.ReadAllTextAsync(Path.Combine(ServiceFactory.RepositoryRoot, "openapi.yaml")))
            .Replace("#/components/schemas/ZoneText", "#/components/schemas/NoSuchSchema", StringComparison.Ordinal));
        Assert.Equal(1, dangling);
        Assert.Contains("NoSuchSchema", why, StringComparison.Ordinal);
    }

    /// <summary>Runs the validator on a document given on standard input; its exit code and everything it printed.</summary>
    internal static async Task<(int ExitCode, string Output)> ValidateAsync(string document)
    {
        var installed = Path.Combine(ToolFolder, "node_modules", "@seriousme", "openapi-schema-validator", "package.json");
        Assert.True(File.Exists(installed), $"The OpenAPI validator is not installed: run npm ci in {ToolFolder} (.ci/run does)");

        var start = new ProcessStartInfo("node", ["validate.mjs", "-"])
        {
            WorkingDirectory = ToolFolder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException($"node could not be started ({error.Message}): install Node.js (apt-get install nodejs npm), then run npm ci in {ToolFolder}", error);
        }

        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.StandardInput.WriteAsync(document);
            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, (await output) + (await errors));
        }
    }
}
