using System.Diagnostics;
using System.Text.Json;
using RulesApi.Fixtures;
using RulesApi.FixtureServer;

namespace RulesApi.Cli.Tests;

/// <summary>
/// The command line as a person or a CI job runs it: exit codes, <c>file:line:column</c> messages, and
/// the same findings as the service. Most tests call the program in-process; one starts it as a process.
/// </summary>
public sealed class CliTests : IDisposable
{
    private const string CleanZone = """
        $TTL 300
        @ SOA ns1 hostmaster 1 7200 3600 1209600 300
        @ NS ns1
        ns1 A 192.0.2.1
        www A 192.0.2.2
        @ CAA 0 issue "amazon.com"

        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("rulesapi-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<(int Exit, string Out, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await new Program(output, error).RunAsync(args, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_clean_zone_exits_0_with_a_verdict_per_name()
    {
        var (exit, output, _) = await Run("audit", Write("example.com.zone", CleanZone), "--origin", "example.com", "--domains", "www.example.com");

        Assert.Equal(Program.Clean, exit);
        Assert.Contains("www.example.com.  ok", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_plain_answer_per_name_comes_before_the_findings()
    {
        var zone = Write("letsencrypt.zone", CleanZone.Replace("\"amazon.com\"", "\"letsencrypt.org\"", StringComparison.Ordinal));

        var (exit, output, _) = await Run("audit", zone, "--origin", "example.com", "--domains", "www.example.com", "--provider", "godaddy");

        Assert.Equal(Program.Failing, exit);
        var lines = output.Split('\n');
        Assert.Equal("www.example.com.  blocked", lines[0]);
        Assert.StartsWith("    Amazon is not allowed to issue for www.example.com", lines[1], StringComparison.Ordinal);
        Assert.Contains("GoDaddy", lines[1], StringComparison.Ordinal);
        Assert.Contains(lines.Skip(2), line => line.Contains(" error CAA001 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_record_to_change_is_printed_once_with_its_names_and_the_records_to_keep_before_the_findings()
    {
        var zone = Write("letsencrypt.zone", CleanZone.Replace("\"amazon.com\"", "\"letsencrypt.org\"", StringComparison.Ordinal));

        var (_, output, _) = await Run("audit", zone, "--origin", "example.com", "--domains", "example.com,www.example.com,*.example.com");

        var lines = output.Split('\n').Select(line => line.TrimEnd('\r')).ToList();
        var add = "  add    example.com. 300 IN CAA 0 issue \"amazon.com\"    (Host: @)";
        // Three findings propose the record (one per name); the list of changes holds it once.
        Assert.Equal(1, lines.Count(line => line == add));
        var at = lines.IndexOf(add);
        Assert.Equal("changes (1, each once):", lines[at - 1]);
        Assert.Equal("         for example.com, www.example.com, *.example.com (CAA001)", lines[at + 1]);
        Assert.Equal("         keep   example.com. 300 IN CAA 0 issue \"letsencrypt.org\"", lines[at + 2]);
        Assert.True(at < lines.FindIndex(line => line.Contains(" error CAA001 ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Findings_beyond_the_cap_per_rule_are_counted_and_zero_prints_them_all()
    {
        var zone = Write("many.zone", CleanZone + string.Concat(Enumerable.Range(0, 30).Select(i => $"o{i} CAA 0 issue \"letsencrypt.org\"\n")));

        var (_, capped, _) = await Run("audit", zone, "--origin", "example.com", "--max-findings-per-rule", "10");
        var (_, all, _) = await Run("audit", zone, "--origin", "example.com", "--max-findings-per-rule", "0");

        Assert.Equal(10, capped.Split('\n').Count(line => line.Contains(" error CAA001 ", StringComparison.Ordinal)));
        Assert.Contains("CAA001: 20 more findings not shown (at most 10 per rule", capped, StringComparison.Ordinal);
        Assert.Equal(30, all.Split('\n').Count(line => line.Contains(" error CAA001 ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Names_beyond_the_cap_are_counted_by_verdict_and_zero_lists_them_all()
    {
        var zone = Write("owners.zone", CleanZone + string.Concat(Enumerable.Range(0, 5).Select(i => $"o{i} CAA 0 issue \"letsencrypt.org\"\n")));

        var (exit, capped, _) = await Run("audit", zone, "--origin", "example.com", "--max-names", "2");
        var (_, all, _) = await Run("audit", zone, "--origin", "example.com", "--max-names", "0");

        // The two listed are the worst (blocked owners); the apex, which is fine, is among those only counted.
        Assert.Equal(Program.Failing, exit);
        Assert.Equal(2, capped.Split('\n').Count(line => line.EndsWith("  blocked", StringComparison.Ordinal)));
        Assert.Contains("... and 4 more names not listed (3 blocked, 1 ok; --max-names 0 lists them all)", capped, StringComparison.Ordinal);
        Assert.Equal(5, all.Split('\n').Count(line => line.EndsWith("  blocked", StringComparison.Ordinal)));
        Assert.DoesNotContain("more names not listed", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Syntax_errors_are_printed_at_file_line_and_column_and_exit_1()
    {
        var zone = Write("broken.zone", CleanZone.Replace("www A 192.0.2.2", "www A 192.0.2.300", StringComparison.Ordinal));

        var (exit, output, _) = await Run("audit", zone, "--origin", "example.com");

        Assert.Equal(Program.Failing, exit);
        Assert.Contains($"{zone}:5:7: error ZONE001 ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fail_on_warning_fails_on_warnings()
    {
        var zone = Write("odd.zone", CleanZone.Replace("issue \"amazon.com\"", "issue \"amazon.com\"\n@ CAA 0 isue \"amazon.com\"", StringComparison.Ordinal));

        Assert.Equal(Program.Clean, (await Run("audit", zone, "--origin", "example.com")).Exit);
        Assert.Equal(Program.Failing, (await Run("audit", zone, "--origin", "example.com", "--fail-on", "warning")).Exit);
    }

    [Fact]
    public async Task A_broken_profile_is_reported_at_its_line_and_column_and_exits_2()
    {
        var profile = Write("profile.json", "{\n  \"rules\": {\n    \"CAA011\": { \"enabled\": nope }\n  }\n}\n");

        var (exit, _, error) = await Run("audit", Write("z.zone", CleanZone), "--origin", "example.com", "--profile", profile);

        Assert.Equal(Program.BadInput, exit);
        Assert.StartsWith($"{profile}:3:", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\n  \"rules\": {\n    \"CAA011\": { \"severity\": \"loud\" }\n  }\n}\n", "rules.CAA011")]
    [InlineData("{\n  \"rules\": {\n    \"CAA011\": { \"enabled\": \"no\" }\n  }\n}\n", "rules.CAA011")]
    [InlineData("{\n  \"rules\": {\n    \"CAA011\": {},\n    \"CAA011\": {}\n  }\n}\n", "rules")]
    [InlineData("{\n  \"rules\": {\n    \"CAA011\": { \"severty\": \"error\" }\n  }\n}\n", "rules.CAA011.severty")]
    public async Task A_profile_setting_of_the_wrong_type_or_given_twice_is_named_by_its_path_not_by_a_dotnet_type(string json, string path)
    {
        var profile = Write("profile.json", json);

        var (exit, _, error) = await Run("audit", Write("z.zone", CleanZone), "--origin", "example.com", "--profile", profile);

        Assert.Equal(Program.BadInput, exit);
        // The serializer's words were "could not be converted to RulesApi.Rules.Runtime.RuleSettings", and a duplicate's named nothing.
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(profile)}:\d+:\d+: error: {System.Text.RegularExpressions.Regex.Escape(path)}\b", error);
        Assert.DoesNotContain("RulesApi.", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no such file", "audit", "/nonexistent/zone.txt", "--origin", "example.com")]
    [InlineData("unknown option --orgin", "audit", "z.zone", "--orgin", "example.com")]
    [InlineData("origin is unknown", "audit", "z.zone")]
    [InlineData("--fail-on: Argument 'loud' not recognized", "audit", "z.zone", "--origin", "example.com", "--fail-on", "loud")]
    [InlineData("--validation takes NAME=VALUE", "fixture", "healthy", "--validation", "x")]
    [InlineData("no scenario 'nope'", "fixture", "nope")]
    [InlineData("--root: 'here'", "check", "www.example.com", "--root", "here")]
    [InlineData("unknown command 'frobnicate'", "frobnicate")]
    public async Task Mistakes_exit_2_and_say_what_is_wrong(string expected, params string[] args)
    {
        // A zone without $ORIGIN or SOA: nothing says which zone it is.
        var zone = Write("z.zone", "$TTL 300\nwww A 192.0.2.1\n");

        var (exit, output, error) = await Run(args.Select(arg => arg == "z.zone" ? zone : arg).ToArray());

        Assert.Equal(Program.BadInput, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Fact]
    public async Task A_fixture_gives_the_findings_its_scenario_promises_and_json_on_request()
    {
        var (exit, output, _) = await Run("fixture", "val-missing", "--json");

        Assert.Equal(Program.Failing, exit);
        using var report = JsonDocument.Parse(output);
        var rules = report.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString()).ToList();
        Assert.Contains("VAL001", rules);
        Assert.Equal("blocked", report.RootElement.GetProperty("names")[0].GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task Check_asks_live_dns_from_the_roots_it_is_given()
    {
        var scenario = FixtureScenario.BuiltIn["caa-letsencrypt-only"];
        using var server = FixtureDnsServer.Start(scenario);
        var port = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exit, output, _) = await Run("check", "www.example.com", "--root", server.RootAddress.ToString(), "--resolver", server.ResolverEndpoint, "--port", port, "--json");

        Assert.Equal(Program.Failing, exit);
        using var report = JsonDocument.Parse(output);
        Assert.Contains(report.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "CAA001");
        Assert.All(report.RootElement.GetProperty("queries").EnumerateArray(),
            q => Assert.StartsWith("127.0.10.", q.GetProperty("server").GetString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("zone-servers-silent")]
    [InlineData("root-silent")]
    [InlineData("resolver-silent")]
    public async Task Check_exits_3_when_a_name_is_inconclusive_because_servers_did_not_answer(string outage)
    {
        // The zone's only server (127.0.10.3) silent; the configured root silent; the configured resolver silent:
        // none is the zone's fault, each leaves www.example.com inconclusive, and CI must not pass.
        var scenario = FixtureScenario.BuiltIn["healthy"];
        using var server = FixtureDnsServer.Start(scenario, listen: outage == "zone-servers-silent" ? address => !address.Equals(System.Net.IPAddress.Parse("127.0.10.3")) : null);
        var port = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var root = outage == "root-silent" ? "127.0.10.99" : server.RootAddress.ToString();
        var resolver = outage == "resolver-silent" ? $"127.0.10.98:{port}" : server.ResolverEndpoint;

        var (exit, output, _) = await Run("check", "www.example.com", "--root", root, "--resolver", resolver, "--port", port, "--timeout-ms", "300", "--json");

        Assert.Equal(Program.Inconclusive, exit);
        using var report = JsonDocument.Parse(output);
        Assert.Equal("inconclusive", report.RootElement.GetProperty("names")[0].GetProperty("verdict").GetString());
        Assert.All(report.RootElement.GetProperty("findings").EnumerateArray(), f => Assert.True(f.GetProperty("inconclusive").GetBoolean() || f.GetProperty("severity").GetString() is "notice" or "info"));
    }

    [Fact]
    public async Task The_program_runs_as_a_process_with_its_exit_code()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "rulesapi.dll");
        var zone = Write("broken.zone", CleanZone + "bad A 1.2.3\n");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { cli, "audit", zone, "--origin", "example.com" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(Program.Failing, process.ExitCode);
        Assert.Contains($"{zone}:7:7: error ZONE001", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generic_ns_data_without_octets_is_a_finding_not_a_stack_trace()
    {
        var zone = Write("ns.zone", "$TTL 300\n@ SOA ns1 hostmaster 1 2 3 4 5\n@ NS \\# 0\n");

        var (exit, output, error) = await Run("audit", zone, "--origin", "example.com");

        Assert.Equal(Program.Failing, exit);
        Assert.Contains($"{zone}:3:6: error ZONE001 ", output, StringComparison.Ordinal);
        Assert.Empty(error);
    }

    [Fact]
    public async Task A_named_pipe_is_read_once_as_a_stream_with_the_findings_of_the_same_file()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var file = Write("z.zone", CleanZone);
        var (fileExit, fileOutput, _) = await Run("audit", file, "--origin", "example.com");
        var fifo = Path.Combine(_folder, "z.fifo");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
        }

        // The writer waits for a reader to open the pipe; what it wrote is read by the first reader only.
        var writer = Task.Run(() => File.WriteAllText(fifo, CleanZone));
        var audit = Run("audit", fifo, "--origin", "example.com");
        if (await Task.WhenAny(audit, Task.Delay(TimeSpan.FromMinutes(1))) != audit)
        {
            // Not a time limit on the audit: a reader that opens the pipe a second time waits for a writer for ever.
            File.WriteAllText(fifo, "");
            Assert.Fail("the audit opened the pipe again after its writer was done");
        }

        var (exit, output, error) = await audit;
        if (await Task.WhenAny(writer, Task.Delay(TimeSpan.FromSeconds(10))) != writer)
        {
            // The audit never opened the pipe: a reader lets the writer end.
            _ = File.ReadAllText(fifo);
        }

        await writer.ContinueWith(_ => { }, TaskScheduler.Default);
        Assert.Empty(error);
        Assert.Equal(fileExit, exit);
        // The time the audit took apart.
        static string Untimed(string text) => System.Text.RegularExpressions.Regex.Replace(text, @", \d+ ms$", "", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.Equal(Untimed(fileOutput.Replace(file, fifo, StringComparison.Ordinal)), Untimed(output));
    }

    [Fact]
    public async Task Auditing_dev_zero_ends_at_once_with_a_finding()
    {
        var clock = Stopwatch.StartNew();

        var (exit, output, _) = await Run("audit", "/dev/zero", "--origin", "example.com");

        Assert.Equal(Program.Failing, exit);
        Assert.Contains("/dev/zero:1:1: error ZONE001 ", output, StringComparison.Ordinal);
        Assert.Contains("binary data", output, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Standard_input_is_read_no_further_than_an_overlong_line()
    {
        var text = await Commands.ReadZoneText(new EndlessReader("$TTL 300\n", 'a'), CancellationToken.None);

        Assert.StartsWith("$TTL 300\n", text, StringComparison.Ordinal);
        Assert.True(text.Length < 4 * Dns.ZoneFiles.MasterFileParser.MaxLineLength, $"read {text.Length} characters");
    }

    [Fact]
    public async Task A_write_error_on_standard_output_is_one_line_and_exit_2()
    {
        var error = new StringWriter();
        var program = new Program(new FailingWriter(new IOException("No space left on device")), error);

        var exit = await program.RunAsync(["audit", Write("z.zone", CleanZone), "--origin", "example.com"], CancellationToken.None);

        Assert.Equal(Program.BadInput, exit);
        Assert.Equal("rulesapi: cannot write the report to standard output: No space left on device" + Environment.NewLine, error.ToString());
    }

    [Fact]
    public async Task An_internal_error_is_one_line_naming_the_input_and_the_trace_only_with_verbose()
    {
        var zone = Write("z.zone", CleanZone);
        async Task<(int Exit, string Error)> RunFailing(params string[] args)
        {
            var error = new StringWriter();
            var exit = await new Program(new FailingWriter(new InvalidOperationException("boom")), error).RunAsync(args, CancellationToken.None);
            return (exit, error.ToString());
        }

        var (exit, message) = await RunFailing("audit", zone, "--origin", "example.com");
        var (verboseExit, verbose) = await RunFailing("audit", zone, "--origin", "example.com", "--verbose");

        Assert.Equal(Program.BadInput, exit);
        Assert.Single(message.TrimEnd().Split('\n'));
        Assert.StartsWith($"{zone}: internal error: InvalidOperationException: boom", message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", message, StringComparison.Ordinal);
        Assert.Equal(Program.BadInput, verboseExit);
        Assert.Contains("   at ", verbose, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writing_to_a_full_device_exits_2_without_an_unhandled_exception()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "rulesapi.dll");
        var zone = Write("z.zone", CleanZone);
        var start = new ProcessStartInfo("sh") { RedirectStandardError = true };
        foreach (var arg in new[] { "-c", "exec dotnet \"$0\" audit \"$1\" --origin example.com > /dev/full", cli, zone })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(Program.BadInput, process.ExitCode);
        Assert.Equal("rulesapi: cannot write the report to standard output: No space left on device", error.TrimEnd());
    }

    /// <summary>Standard output that fails on every write, as a full disk or a broken program would.</summary>
    private sealed class FailingWriter(Exception failure) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => throw failure;

        public override void Write(string? value) => throw failure;

        public override void WriteLine(string? value) => throw failure;
    }

    /// <summary>A stream that never ends, like an endless pipe.</summary>
    private sealed class EndlessReader(string start, char fill) : TextReader
    {
        private int _position;

        public override int Read(char[] buffer, int index, int count)
        {
            for (var i = 0; i < count; i++, _position++)
            {
                buffer[index + i] = _position < start.Length ? start[_position] : fill;
            }

            return count;
        }
    }
}
