using System.Diagnostics;

namespace RulesApi.Cli.Tests;

/// <summary>Programs run as whole processes by the tests that publish or pack the command, and the repository they build from.</summary>
internal static class Processes
{
    /// <summary>The repository's root: the folder above the tests that holds RulesApi.sln.</summary>
    public static readonly string Root = FindRoot();

    /// <summary>Runs a program to its end (or the timeout), with extra environment variables; its exit code and both outputs.</summary>
    public static async Task<(int Exit, string Out, string Error)> Run(string file, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output, await error);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RulesApi.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RulesApi.sln not found");
    }
}
