namespace RulesApi.Cli.Tests;

/// <summary>The command line as System.CommandLine parses it: help per command, --version, clear mistakes, exit code 3.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rulesapi-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<(int Exit, string Out, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await new Program(output, error).RunAsync(args, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("audit", "--origin")]
    [InlineData("fixture", "<scenario>")]
    [InlineData("check", "--resolver")]
    [InlineData("rules", "List the rule catalog")]
    public async Task Every_command_has_its_own_help(string command, string mentions)
    {
        var (exit, output, error) = await Run(command, "--help");

        Assert.Equal(Program.Clean, exit);
        // In-process the usage line names the test host; run as the tool it says "rulesapi <command>".
        Assert.Matches($@"Usage:\s+\S+ {command}\b", output);
        Assert.Contains(mentions, output, StringComparison.Ordinal);
        Assert.Equal("", error);
    }

    [Fact]
    public async Task Help_after_an_argument_is_still_help_and_lists_the_exit_codes()
    {
        var (exit, output, _) = await Run("audit", "x.zone", "--help");
        Assert.Equal(Program.Clean, exit);
        Assert.Contains("<zone-file>", output, StringComparison.Ordinal);

        var (_, top, _) = await Run("--help");
        Assert.Contains("3 nothing at or above --fail-on, but a name is inconclusive", top, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        var (exit, output, _) = await Run("--version");

        Assert.Equal(Program.Clean, exit);
        Assert.Matches(@"^\d+\.\d+\.\d+", output);
    }

    [Theory]
    [InlineData("unknown option --bogus for 'audit'", "audit", "x.zone", "--bogus")]
    [InlineData("unknown option --bogus for 'rules'", "rules", "--bogus")]
    [InlineData("give a command", new string[0])]
    [InlineData("--port: --port takes a whole number from 1 to 65535, not 0", "check", "www.example.com", "--port", "0")]
    [InlineData("--max-names: --max-names takes a whole number from 0 to 2147483647, not abc", "fixture", "healthy", "--max-names", "abc")]
    [InlineData("--port: --port takes a whole number from 1 to 65535, not 99999999999", "check", "www.example.com", "--port", "99999999999")]
    [InlineData("--provider: Argument 'dyn' not recognized", "fixture", "healthy", "--provider", "dyn")]
    [InlineData("--format: Argument 'xml' not recognized", "fixture", "healthy", "--format", "xml")]
    public async Task Mistakes_on_the_command_line_exit_2_with_one_clear_line(string expected, params string[] args)
    {
        var (exit, output, error) = await Run(args);

        Assert.Equal(Program.BadInput, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task A_directory_is_named_as_a_directory()
    {
        var (exit, _, error) = await Run("audit", _folder);

        Assert.Equal(Program.BadInput, exit);
        Assert.Equal($"{_folder}: error: is a directory; audit takes one zone file", error.TrimEnd());
    }

    [Theory]
    [InlineData("fault-caa-servfail")]
    [InlineData("fault-validation-timeout")]
    public async Task An_inconclusive_name_exits_3_so_ci_does_not_pass_during_an_outage(string scenario)
    {
        var (exit, output, _) = await Run("fixture", scenario);

        Assert.Equal(Program.Inconclusive, exit);
        Assert.Contains("inconclusive", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Findings_at_fail_on_win_over_inconclusive()
    {
        // With --fail-on warning, the inconclusive CAA009 warning itself fails the run: 1, not 3.
        Assert.Equal(Program.Failing, (await Run("fixture", "fault-caa-servfail", "--fail-on", "warning")).Exit);
    }
}
