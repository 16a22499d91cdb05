namespace RulesApi.Cli.Tests;

/// <summary>
/// <c>rulesapi</c> ships as a .NET tool: <c>dotnet pack</c> makes the package, <c>dotnet tool install</c>
/// from that local package puts a <c>rulesapi</c> command on the path, and the command runs.
/// </summary>
[Collection(DotnetBuilds.Name)]
public sealed class ToolPackageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rulesapi-tool-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Task<(int Exit, string Out, string Error)> Run(string file, params string[] args) =>
        Processes.Run(file, TimeSpan.FromMinutes(3), null, args);

    [Fact]
    public async Task The_package_installs_as_a_tool_named_rulesapi_and_runs()
    {
        var root = Processes.Root;
        // The configuration these tests were built in has built the CLI too: pack that build.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var packages = Path.Combine(_folder, "packages");
        var tools = Path.Combine(_folder, "tools");

        var pack = await Run("dotnet", "pack", Path.Combine(root, "src", "Cli", "Cli.csproj"), "--no-build", "-c", configuration, "-o", packages, "--nologo");
        Assert.True(pack.Exit == 0, pack.Out + pack.Error);
        var package = Assert.Single(Directory.GetFiles(packages, "rulesapi.*.nupkg"));
        var version = Path.GetFileNameWithoutExtension(package)["rulesapi.".Length..];

        var install = await Run("dotnet", "tool", "install", "rulesapi", "--tool-path", tools, "--add-source", packages, "--version", version);
        Assert.True(install.Exit == 0, install.Out + install.Error);

        var rulesapi = Path.Combine(tools, "rulesapi");
        var (exit, output, _) = await Run(rulesapi, "--version");
        Assert.Equal(0, exit);
        Assert.StartsWith(version, output, StringComparison.Ordinal);

        var audit = await Run(rulesapi, "audit", Path.Combine(root, "samples", "example.com.zone"), "--domains", "www.example.com");
        Assert.Equal(Program.Failing, audit.Exit);
        Assert.Contains("error CAA001 www.example.com.", audit.Out, StringComparison.Ordinal);
        Assert.Contains("Usage:\n  rulesapi [command] [options]", (await Run(rulesapi, "--help")).Out, StringComparison.Ordinal);
    }
}
