using System.Diagnostics;
using System.Text.RegularExpressions;
using RulesApi.Dns.Names;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Dns.Tests.Differential;

/// <summary>
/// Runs BIND's <c>named-checkzone</c> on every zone in <c>Differential/zones</c> and checks that our
/// parser and integrity checks reach the same verdict, report the first error on the same line, and,
/// for zones BIND loads, read the same records as BIND's canonical dump (<c>-D</c>).
/// </summary>
public sealed partial class BindDifferentialTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.com.");

    // BIND's messages that carry a line number but do not reject the zone.
    private static readonly string[] BindWarnings =
        ["using RFC1035 TTL semantics", "no TTL specified; using SOA MINTTL instead", "ignoring out-of-zone data"];

    [Fact]
    public void The_corpus_has_valid_and_invalid_zones()
    {
        var count = Directory.GetFiles(CorpusZones.Folder, "*.zone").Length;
        Assert.True(count >= 20, $"only {count} zones in the differential corpus");
    }

    [Theory]
    [MemberData(nameof(CorpusZones.Names), MemberType = typeof(CorpusZones))]
    public void Same_verdict_error_line_and_records_as_named_checkzone(string file)
    {
        var path = CorpusZones.PathOf(file);
        var text = File.ReadAllText(path);
        var dump = Path.GetTempFileName();
        try
        {
            var (exitCode, output) = RunNamedCheckzone(path, dump);
            var bindAccepts = exitCode == 0;

            var parsed = MasterFileParser.Parse(text, new ZoneParserOptions { Origin = Origin });
            var zone = ZoneData.Build(parsed, Origin);
            var problems = ZoneIntegrity.Check(parsed, zone);
            var ourErrors = parsed.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => (int?)d.Location.Line)
                .Concat(problems.Where(p => p.Severity == DiagnosticSeverity.Error).Select(p => p.Location?.Line))
                .ToList();

            Assert.True(bindAccepts == (ourErrors.Count == 0),
                $"named-checkzone {(bindAccepts ? "accepts" : "rejects")} {file}, we {(ourErrors.Count == 0 ? "accept" : "reject")} it.\n" +
                $"BIND said:\n{output}\nWe said:\n{string.Join('\n', parsed.Diagnostics.Select(d => d.ToString()).Concat(problems.Select(p => p.Message)))}");

            if (!bindAccepts)
            {
                var bindLine = ExpectedBindLine(text) ?? FirstBindErrorLine(output, Path.GetFileName(path));
                if (bindLine is not null)
                {
                    Assert.True(ourErrors[0] == bindLine,
                        $"named-checkzone puts the first error of {file} on line {bindLine}, we on line {ourErrors[0]}.\nBIND said:\n{output}");
                }

                return;
            }

            var bindRecords = MasterFileParser.Parse(File.ReadAllText(dump), new ZoneParserOptions { Origin = Origin });
            Assert.DoesNotContain(bindRecords.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
            Assert.Equal(Normalise(bindRecords.Records), Normalise(parsed.Records.Where(r => r.Owner.IsSubdomainOf(Origin))));
        }
        finally
        {
            File.Delete(dump);
        }
    }

    internal static List<string> Normalise(IEnumerable<Records.ResourceRecord> records) =>
        records.Select(r => r.ToZoneLine().ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();

    internal static (int ExitCode, string Output) RunNamedCheckzone(string path, string dump)
    {
        // -i local: no integrity lookups through the machine's resolver; -k ignore: host-name policy is not syntax.
        var start = new ProcessStartInfo("named-checkzone")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-i", "local", "-k", "ignore", "-D", "-o", dump, Origin.Text, path })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException("named-checkzone is not installed; install Debian's bind9-utils (.ci/run does)", error);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(30_000))
            {
                process.Kill();
                throw new TimeoutException("named-checkzone did not finish in 30 s");
            }

            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }

    internal static int? FirstBindErrorLine(string output, string file)
    {
        foreach (var line in output.Split('\n'))
        {
            var match = BindMessage().Match(line);
            if (match.Success && match.Groups["file"].Value.EndsWith(file, StringComparison.Ordinal)
                && !BindWarnings.Any(warning => match.Groups["message"].Value.Contains(warning, StringComparison.Ordinal)))
            {
                return int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>A zone may record, in a comment, a line where BIND is known to report differently and why.</summary>
    private static int? ExpectedBindLine(string text)
    {
        var match = DifferentialNote().Match(text);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"^(?:\w+: )?(?<file>[^:\s]+):(?<line>\d+): (?<message>.*)$")]
    private static partial Regex BindMessage();

    [GeneratedRegex(@"^; differential: bind-line (\d+)", RegexOptions.Multiline)]
    private static partial Regex DifferentialNote();
}
