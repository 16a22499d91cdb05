using System.Text.Json;
using RulesApi.Dns.Live;
using RulesApi.Fixtures;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Cli;

/// <summary>
/// <c>rulesapi</c>: the service's diagnosis on the command line. Exit codes: 0 nothing at or above
/// <c>--fail-on</c> (default <c>error</c>), 1 findings at or above it, 2 a usage or input error
/// (printed as <c>file:line:column: error: …</c> where the input has a position).
/// </summary>
public sealed class Program
{
    public const int Clean = 0;
    public const int Failing = 1;
    public const int BadInput = 2;

    public const string Usage = """
        usage:
          rulesapi audit <zone-file|-> [--origin example.com] [--domains a,b] [--validation NAME=VALUE]...
                         [--certificate describe-certificate.json] [--provider godaddy|namecheap|cloudflare|route53]
                         [--ds "12345 13 2 49FD…"]... (the parent's DS, to check the zone's keys against)
                         [--profile profile.json] [--json] [--fail-on critical|error|warning|notice|info] [--verbose]
          rulesapi fixture [<scenario>] [--domains a,b] [--provider …] [--profile …] [--json] [--fail-on …]
          rulesapi check <name>... [--validation NAME=VALUE]... [--root IP]... [--resolver IP[:PORT]]... [--port N]
                         [--timeout-ms N] [--deadline-seconds N] [--provider …] [--profile …] [--json] [--fail-on …]
          rulesapi rules
        audit reads a zone file offline; fixture runs a built-in scenario offline (without a name, lists them);
        check asks live DNS from the root servers given (default: the IANA roots) — it needs network access.
        --verbose prints the stack trace of an internal error.
        """;

    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly TimeProvider _clock;
    private readonly RuleCatalog _catalog = new(RuleCatalog.BuiltInRules());

    public Program(TextWriter output, TextWriter error, TimeProvider? clock = null)
    {
        _out = output;
        _error = error;
        _clock = clock ?? TimeProvider.System;
    }

    public static Task<int> Main(string[] args) => new Program(Console.Out, Console.Error).RunAsync(args, CancellationToken.None);

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        // The input a failure concerns, for its one line: the zone file, else the command.
        var subject = "rulesapi";
        try
        {
            if (args.Count == 0 || args[0] is "help" or "--help" or "-h")
            {
                (args.Count == 0 ? _error : _out).WriteLine(Usage);
                return args.Count == 0 ? BadInput : Clean;
            }

            var line = CommandLine.Parse(args);
            line.Has("--verbose");
            subject = line.Command is "audit" && line.Positional is [var file] ? (file == "-" ? "<stdin>" : file) : $"rulesapi {line.Command}";
            return line.Command switch
            {
                "audit" => await AuditAsync(line, cancellationToken),
                "fixture" => await FixtureAsync(line, cancellationToken),
                "check" => await CheckAsync(line, cancellationToken),
                "rules" => Rules(line),
                _ => throw new UsageException($"unknown command '{line.Command}'"),
            };
        }
        catch (UsageException mistake)
        {
            TryWriteError(mistake.InFile ? mistake.Message : $"rulesapi: {mistake.Message}");
            return BadInput;
        }
        catch (OutputException failure)
        {
            // The report could not be written (a full disk, a closed pipe): say so once, where it can still be read.
            TryWriteError($"rulesapi: cannot write the report to standard output: {failure.InnerException?.Message}");
            return BadInput;
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A bug, not a mistake of the user's: one line naming the input, the trace only on request.
            TryWriteError($"{subject}: internal error: {failure.GetType().Name}: {failure.Message.ReplaceLineEndings(" ")}"
                + (args.Contains("--verbose") ? Environment.NewLine + failure : " (run again with --verbose for details)"));
            return BadInput;
        }
    }

    /// <summary>Writes to standard output; a write error (a full disk, a closed pipe) becomes an <see cref="OutputException"/>.</summary>
    private void WriteOut(Action<TextWriter> write)
    {
        try
        {
            write(_out);
            _out.Flush();
        }
        catch (IOException failure)
        {
            throw new OutputException(failure);
        }
    }

    private void TryWriteError(string message)
    {
        try
        {
            _error.WriteLine(message);
        }
        catch (IOException)
        {
            // Standard error is gone too: the exit code is all that is left to tell.
        }
    }

    private async Task<int> AuditAsync(CommandLine line, CancellationToken cancellationToken)
    {
        var file = line.Positional is [var only] ? only : throw new UsageException("audit takes one zone file (or - for standard input)");
        var fields = CommonFields(line);
        fields.Origin = line.Value("--origin");
        fields.ParentDs = line.Values("--ds").ToList();
        var output = CommonOutput(line);
        line.RejectUnknownOptions();

        Func<TextReader> open;
        if (file == "-")
        {
            var input = await ReadZoneText(Console.In, cancellationToken);
            open = () => new StringReader(input);
        }
        else if (File.Exists(file))
        {
            open = () => File.OpenText(file);
        }
        else
        {
            throw new UsageException($"{file}: error: no such file", inFile: true);
        }

        var label = file == "-" ? "<stdin>" : file;
        var request = Parse(fields, line, open);
        var report = await Diagnose(request, output.Profile, LiveDnsDefaults(), TimeSpan.FromSeconds(60), label, cancellationToken);
        return Print(report, label, output);
    }

    private async Task<int> FixtureAsync(CommandLine line, CancellationToken cancellationToken)
    {
        if (line.Positional.Count == 0)
        {
            line.RejectUnknownOptions();
            WriteOut(output =>
            {
                foreach (var (name, scenario) in FixtureScenario.BuiltIn.OrderBy(s => s.Key, StringComparer.Ordinal))
                {
                    output.WriteLine($"{name,-28} {scenario.Metadata.Description}");
                }
            });
            return Clean;
        }

        var scenarioName = line.Positional is [var only] ? only : throw new UsageException("fixture takes one scenario name");
        var fields = CommonFields(line);
        fields.Fixture = scenarioName;
        var output = CommonOutput(line);
        line.RejectUnknownOptions();
        var report = await Diagnose(Parse(fields, line), output.Profile, LiveDnsDefaults(), TimeSpan.FromSeconds(10), null, cancellationToken);
        return Print(report, null, output);
    }

    private async Task<int> CheckAsync(CommandLine line, CancellationToken cancellationToken)
    {
        if (line.Positional.Count == 0)
        {
            throw new UsageException("check takes the names to check");
        }

        var fields = CommonFields(line, line.Positional);
        var output = CommonOutput(line);
        var options = new LiveDnsOptions
        {
            RootServers = line.Values("--root").ToList(),
            Resolvers = line.Values("--resolver").ToList(),
            QueryPort = line.Number("--port", 53, 1, 65535),
            QueryTimeoutMs = line.Number("--timeout-ms", 2000, 1, 60000),
            DeadlineSeconds = line.Number("--deadline-seconds", 10, 1, 600),
        };
        line.RejectUnknownOptions();
        if (options.Problems() is [var (setting, message), ..])
        {
            throw new UsageException($"{LiveOptionNames[setting]}: {message}");
        }

        var report = await Diagnose(Parse(fields, line), output.Profile, options, TimeSpan.FromSeconds(options.DeadlineSeconds), null, cancellationToken);
        return Print(report, null, output);
    }

    private int Rules(CommandLine line)
    {
        line.RejectUnknownOptions();
        WriteOut(output =>
        {
            foreach (var rule in _catalog.Rules.OrderBy(r => r.Metadata.Id, StringComparer.Ordinal))
            {
                output.WriteLine($"{rule.Metadata.Id,-8} {JsonNamingPolicy.KebabCaseLower.ConvertName(rule.Metadata.DefaultSeverity.ToString()),-8} {rule.Metadata.Title}");
            }
        });
        return Clean;
    }

    /// <summary>The settings of the live view for commands that do not ask live DNS: the defaults, never used.</summary>
    private static LiveDnsOptions LiveDnsDefaults() => new();

    private static readonly Dictionary<string, string> LiveOptionNames = new(StringComparer.Ordinal)
    {
        [nameof(LiveDnsOptions.RootServers)] = "--root",
        [nameof(LiveDnsOptions.Resolvers)] = "--resolver",
        [nameof(LiveDnsOptions.QueryPort)] = "--port",
        [nameof(LiveDnsOptions.QueryTimeoutMs)] = "--timeout-ms",
        [nameof(LiveDnsOptions.DeadlineSeconds)] = "--deadline-seconds",
        [nameof(LiveDnsOptions.TrustAnchors)] = "--trust-anchor",
    };

    /// <summary>The request's fields every diagnosing command shares: names, validation records, certificate, provider.</summary>
    private static DiagnosisRequestFields CommonFields(CommandLine line, IEnumerable<string>? names = null)
    {
        var domains = (names ?? []).Concat((line.Value("--domains") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var validations = line.Values("--validation").Select(pair => pair.Split('=', 2) is [var name, var value]
            ? new ValidationRecordFields { Name = name, Value = value }
            : throw new UsageException($"--validation takes NAME=VALUE (the CNAME ACM asked for), not '{pair}'")).ToList();
        return new DiagnosisRequestFields
        {
            Domains = domains.Count > 0 ? domains : null,
            ValidationRecords = validations.Count > 0 ? validations : null,
            AcmCertificate = line.Value("--certificate") is { } file ? ReadJson(file, text => JsonDocument.Parse(text).RootElement.Clone()) : null,
            Provider = line.Value("--provider"),
        };
    }

    /// <summary>How the result is printed and judged: --profile, --json, --fail-on.</summary>
    private OutputChoice CommonOutput(CommandLine line)
    {
        var profile = line.Value("--profile") is { } profileFile ? ReadProfile(profileFile) : RuleProfile.Default;
        var failOn = line.Value("--fail-on") is { } failText
            ? Enum.TryParse<Severity>(failText, ignoreCase: true, out var severity) && Enum.IsDefined(severity)
                ? severity
                : throw new UsageException($"--fail-on: '{failText}' is not one of critical, error, warning, notice, info")
            : Severity.Error;
        return new OutputChoice(profile, line.Has("--json"), failOn);
    }

    private sealed record OutputChoice(RuleProfile Profile, bool Json, Severity FailOn);

    /// <summary>The request's fields, parsed by the one parser; a bad field is reported against the option that gave it.</summary>
    private DiagnosisRequest Parse(DiagnosisRequestFields fields, CommandLine line, Func<TextReader>? zone = null)
    {
        var parsed = DiagnosisRequestParser.Parse(fields, zone);
        if (parsed.Request is { } request)
        {
            return request;
        }

        throw new UsageException(string.Join(Environment.NewLine + "rulesapi: ", parsed.Errors.Select(error => Describe(error, fields, line))));
    }

    /// <summary>A field path of the request (<c>domains[2]</c>, <c>validationRecords[0].value</c>) said as the command line's option.</summary>
    private static string Describe(FieldError error, DiagnosisRequestFields fields, CommandLine line)
    {
        var top = error.Field.Split('.', '[')[0];
        var index = error.Field.IndexOf('[', StringComparison.Ordinal) is var open and >= 0
            && int.TryParse(error.Field.AsSpan(open + 1, error.Field.IndexOf(']', open) - open - 1), out var i) ? i : -1;
        return top switch
        {
            "domains" when index >= 0 => $"'{fields.Domains![index]}': {error.Message}",
            "domains" => $"{(line.Command == "check" ? "names" : "--domains")}: {error.Message}",
            "validationRecords" => $"--validation: {error.Message}",
            "acmCertificate" => $"--certificate: {error.Field}: {error.Message}",
            "parentDs" when index >= 0 => $"--ds: '{fields.ParentDs![index]}': {error.Message}",
            "fixture" => $"no scenario '{fields.Fixture}' ('rulesapi fixture' lists them)",
            _ => $"--{top}: {error.Message}",
        };
    }

    private async Task<DiagnosisReport> Diagnose(DiagnosisRequest request, RuleProfile profile, LiveDnsOptions live, TimeSpan deadline, string? file, CancellationToken cancellationToken)
    {
        var diagnoser = new Diagnoser(new RuleEngine(_catalog, _clock), profile, live, new DiagnosisDeadlines(deadline, deadline));
        try
        {
            return await diagnoser.RunAsync(request, cancellationToken);
        }
        catch (DiagnosisInputException mistake) when (mistake.Field == "origin")
        {
            throw new UsageException($"{file}:1:1: error: the zone's origin is unknown (no $ORIGIN, no SOA with a full name): give --origin", inFile: true);
        }
    }

    /// <summary>Reads a profile and checks it against the catalog: an unknown rule, message or option is an error, not ignored.</summary>
    private RuleProfile ReadProfile(string file)
    {
        var profile = ReadJson(file, RuleProfile.Parse);
        return profile.Problems(_catalog) is { Count: > 0 } problems
            ? throw new UsageException(string.Join(Environment.NewLine, problems.Select(problem => $"{file}: error: {problem}")), inFile: true)
            : profile;
    }

    /// <summary>Reads a JSON input file; a syntax error is reported at its line and column.</summary>
    private static T ReadJson<T>(string file, Func<string, T> parse)
    {
        if (!File.Exists(file))
        {
            throw new UsageException($"{file}: error: no such file", inFile: true);
        }

        try
        {
            return parse(File.ReadAllText(file));
        }
        catch (JsonException error)
        {
            // JsonException counts lines and columns from zero.
            var at = error.LineNumber is { } lineNumber ? $"{lineNumber + 1}:{(error.BytePositionInLine ?? 0) + 1}" : "1:1";
            throw new UsageException($"{file}:{at}: error: {error.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0]}", inFile: true);
        }
    }

    /// <summary>
    /// Reads zone text from a stream (standard input) into memory, but no further than the parser reads:
    /// up to a NUL (binary input) or into a line longer than the parser accepts. So <c>/dev/zero</c> or an
    /// endless line on standard input ends in a ZONE001 finding, not in memory without end.
    /// </summary>
    public static async Task<string> ReadZoneText(TextReader reader, CancellationToken cancellationToken)
    {
        var text = new System.Text.StringBuilder();
        var buffer = new char[64 * 1024];
        var lineLength = 0;
        int read;
        while ((read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken)) > 0)
        {
            text.Append(buffer, 0, read);
            var chunk = buffer.AsSpan(0, read);
            var newline = chunk.LastIndexOf('\n');
            lineLength = newline < 0 ? lineLength + read : read - newline - 1;
            if (chunk.Contains('\0') || lineLength > Dns.ZoneFiles.MasterFileParser.MaxLineLength)
            {
                break;
            }
        }

        return text.ToString();
    }

    private int Print(DiagnosisReport report, string? file, OutputChoice output)
    {
        WriteOut(writer =>
        {
            if (output.Json)
            {
                ReportPrinter.PrintJson(report, writer);
            }
            else
            {
                ReportPrinter.PrintText(report, file, writer);
            }
        });

        return report.Findings.Any(f => f.Severity <= output.FailOn) ? Failing : Clean;
    }
}
