using System.Text.Json;
using RulesApi.Dns.Live;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Fixtures;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Facts;
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
                         [--profile profile.json] [--json] [--fail-on critical|error|warning|notice|info]
          rulesapi fixture [<scenario>] [--domains a,b] [--provider …] [--profile …] [--json] [--fail-on …]
          rulesapi check <name>... [--validation NAME=VALUE]... [--root IP]... [--resolver IP[:PORT]]... [--port N]
                         [--timeout-ms N] [--deadline-seconds N] [--provider …] [--profile …] [--json] [--fail-on …]
          rulesapi rules
        audit reads a zone file offline; fixture runs a built-in scenario offline (without a name, lists them);
        check asks live DNS from the root servers given (default: the IANA roots) — it needs network access.
        """;

    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly RuleCatalog _catalog = new(RuleCatalog.BuiltInRules());

    public Program(TextWriter output, TextWriter error)
    {
        _out = output;
        _error = error;
    }

    public static Task<int> Main(string[] args) => new Program(Console.Out, Console.Error).RunAsync(args, CancellationToken.None);

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        try
        {
            if (args.Count == 0 || args[0] is "help" or "--help" or "-h")
            {
                (args.Count == 0 ? _error : _out).WriteLine(Usage);
                return args.Count == 0 ? BadInput : Clean;
            }

            var line = CommandLine.Parse(args);
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
            _error.WriteLine(mistake.InFile ? mistake.Message : $"rulesapi: {mistake.Message}");
            return BadInput;
        }
    }

    private async Task<int> AuditAsync(CommandLine line, CancellationToken cancellationToken)
    {
        var file = line.Positional is [var only] ? only : throw new UsageException("audit takes one zone file (or - for standard input)");
        DnsName? origin = line.Value("--origin") is { } text ? ParseName("--origin", text) : null;
        var (subject, profile, json, failOn) = Common(line);
        subject = subject with
        {
            ParentDs = line.Values("--ds").Select(text => DsData.TryParse(text, out var ds, out var error) ? ds : throw new UsageException($"--ds: '{text}': {error}")).ToList(),
        };
        line.RejectUnknownOptions();

        Func<TextReader> open;
        if (file == "-")
        {
            var input = await Console.In.ReadToEndAsync(cancellationToken);
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

        var report = await new ZoneDiagnosis(new RuleEngine(_catalog)).RunAsync(open, origin, subject, profile, TimeSpan.FromSeconds(60), cancellationToken)
            ?? throw new UsageException($"{file}:1:1: error: the zone's origin is unknown (no $ORIGIN, no SOA with a full name): give --origin", inFile: true);
        return Print(report, file == "-" ? "<stdin>" : file, json, failOn);
    }

    private async Task<int> FixtureAsync(CommandLine line, CancellationToken cancellationToken)
    {
        if (line.Positional.Count == 0)
        {
            line.RejectUnknownOptions();
            foreach (var (name, scenario) in FixtureScenario.BuiltIn.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                _out.WriteLine($"{name,-28} {scenario.Metadata.Description}");
            }

            return Clean;
        }

        var scenarioName = line.Positional is [var only] ? only : throw new UsageException("fixture takes one scenario name");
        var (subject, profile, json, failOn) = Common(line);
        line.RejectUnknownOptions();
        if (!FixtureScenario.BuiltIn.TryGetValue(scenarioName, out var fixture))
        {
            throw new UsageException($"no scenario '{scenarioName}' ('rulesapi fixture' lists them)");
        }

        var report = await new FixtureDiagnosis(new RuleEngine(_catalog)).RunAsync(fixture, subject.Names, subject.Provider, profile, TimeSpan.FromSeconds(10), cancellationToken);
        return Print(report, null, json, failOn);
    }

    private async Task<int> CheckAsync(CommandLine line, CancellationToken cancellationToken)
    {
        if (line.Positional.Count == 0)
        {
            throw new UsageException("check takes the names to check");
        }

        var names = line.Positional.Select(text => HostName.TryParse(text, out var name, out var error) ? name : throw new UsageException($"'{text}': {error}"));
        var (subject, profile, json, failOn) = Common(line, names);
        var options = new LiveDnsOptions
        {
            RootServers = line.Values("--root").ToList(),
            Resolvers = line.Values("--resolver").ToList(),
            QueryPort = line.Number("--port", 53, 1, 65535),
            QueryTimeoutMs = line.Number("--timeout-ms", 2000, 1, 60000),
            DeadlineSeconds = line.Number("--deadline-seconds", 10, 1, 600),
        };
        line.RejectUnknownOptions();
        if (options.RootServers.FirstOrDefault(root => !System.Net.IPAddress.TryParse(root, out _)) is { } badRoot)
        {
            throw new UsageException($"--root: '{badRoot}' is not an IP address");
        }

        if (options.Resolvers.FirstOrDefault(r => !LiveDnsOptions.TryParseEndpoint(r, options.QueryPort, out _)) is { } badResolver)
        {
            throw new UsageException($"--resolver: '{badResolver}' is not an IP address or ip:port");
        }

        var live = new LiveDnsView(options);
        var context = new DiagnosisContext(subject.WithValidatedNames(), live, profile: profile);
        var report = await new RuleEngine(_catalog).RunAsync(context, "live", TimeSpan.FromSeconds(options.DeadlineSeconds), cancellationToken);
        return Print(report with { Queries = live.QueryLog }, null, json, failOn);
    }

    private int Rules(CommandLine line)
    {
        line.RejectUnknownOptions();
        foreach (var rule in _catalog.Rules.OrderBy(r => r.Metadata.Id, StringComparer.Ordinal))
        {
            _out.WriteLine($"{rule.Metadata.Id,-8} {JsonNamingPolicy.KebabCaseLower.ConvertName(rule.Metadata.DefaultSeverity.ToString()),-8} {rule.Metadata.Title}");
        }

        return Clean;
    }

    /// <summary>The options every diagnosing command shares: names, validation records, certificate, provider, profile, output.</summary>
    private static (Subject Subject, RuleProfile Profile, bool Json, Severity FailOn) Common(CommandLine line, IEnumerable<DnsName>? names = null)
    {
        var domains = (names ?? []).Concat((line.Value("--domains") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(text => HostName.TryParse(text, out var name, out var error) ? name : throw new UsageException($"--domains: '{text}': {error}")));
        var given = line.Values("--validation").Select(pair => pair.Split('=', 2) is [var name, var value]
                && AcmCertificate.TryRecordName(name, out var recordName, out _) && AcmCertificate.TryRecordName(value, out var recordValue, out _)
            ? (recordName, recordValue)
            : throw new UsageException($"--validation takes NAME=VALUE (the CNAME ACM asked for), not '{pair}'")).ToList();
        var certificate = line.Value("--certificate") is { } certificateFile ? ReadCertificate(certificateFile) : null;
        var provider = line.Value("--provider") is { } providerText
            ? Enum.TryParse<DnsProvider>(providerText, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new UsageException($"--provider: '{providerText}' is not one of godaddy, namecheap, cloudflare, route53, generic")
            : DnsProvider.Generic;
        var profile = line.Value("--profile") is { } profileFile ? ReadJson(profileFile, RuleProfile.Parse) : RuleProfile.Default;
        var failOn = line.Value("--fail-on") is { } failText
            ? Enum.TryParse<Severity>(failText, ignoreCase: true, out var severity) && Enum.IsDefined(severity)
                ? severity
                : throw new UsageException($"--fail-on: '{failText}' is not one of critical, error, warning, notice, info")
            : Severity.Error;
        return (Subject.ForAcm(domains, certificate, given, provider), profile, line.Has("--json"), failOn);
    }

    private static AcmCertificate ReadCertificate(string file)
    {
        using var document = ReadJson(file, text => JsonDocument.Parse(text));
        var errors = new List<KeyValuePair<string, string>>();
        return AcmCertificate.Parse(document.RootElement, "certificate", errors)
            ?? throw new UsageException(string.Join(Environment.NewLine, errors.Select(e => $"{file}: error: {e.Key}: {e.Value}")), inFile: true);
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

    private static DnsName ParseName(string option, string text) =>
        DnsName.TryParse(text.EndsWith('.') ? text : text + ".", out var name, out var error) ? name : throw new UsageException($"{option}: '{text}': {error}");

    private int Print(DiagnosisReport report, string? file, bool json, Severity failOn)
    {
        if (json)
        {
            ReportPrinter.PrintJson(report, _out);
        }
        else
        {
            ReportPrinter.PrintText(report, file, _out);
        }

        return report.Findings.Any(f => f.Severity <= failOn) ? Failing : Clean;
    }
}
