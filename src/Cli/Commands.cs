using System.CommandLine;
using System.Text.Json;
using RulesApi.Acm;
using RulesApi.Dns.Live;
using RulesApi.Dns.ZoneFiles;
using RulesApi.Fixtures;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Cli;

/// <summary>
/// What each command does: map its arguments onto the request's fields, let the one parser and the one
/// Diagnoser do the rest, and print the report. A bad field is reported against the option that gave it.
/// </summary>
public sealed class Commands
{
    private readonly CliOptions _o;
    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly TimeProvider _clock;
    private readonly IAcmCredentialSource _acmCredentials;
    private readonly RuleCatalog _catalog = new(RuleCatalog.BuiltInRules());

    public Commands(CliOptions options, TextWriter output, TextWriter error, TimeProvider clock, IAcmCredentialSource acmCredentials)
    {
        _o = options;
        _out = output;
        _error = error;
        _clock = clock;
        _acmCredentials = acmCredentials;
    }

    public async Task<int> AuditAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        var file = parsed.GetValue(_o.Zone)!;
        var fields = CommonFields(parsed);
        fields.Origin = parsed.GetValue(_o.Origin);
        fields.ParentDs = [.. parsed.GetValue(_o.Ds) ?? []];
        var output = CommonOutput(parsed);

        if (file != "-" && Directory.Exists(file))
        {
            throw new UsageException($"{file}: error: is a directory; audit takes one zone file", inFile: true);
        }

        if (file != "-" && !File.Exists(file))
        {
            throw new UsageException($"{file}: error: no such file", inFile: true);
        }

        var label = file == "-" ? "<stdin>" : file;
        // Opened once: a pipe (a named one, <(…)) gives its text to the first reader only, and another open waits for a writer.
        using var handle = file == "-" ? null : File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read);
        var pipe = handle is not null && ZoneBytes.LengthOf(handle) is null;
        // A large file as bytes that can be read from any place: it is read in two parts at once, one on each core.
        using var fileBytes = handle is null || pipe ? null : ZoneBytes.OfLargeFile(handle);
        DiagnosisRequest request;
        if (file == "-" || pipe)
        {
            // Read once, as far as the parser would read, and kept: the zone may be read twice (signatures looked for, an audit read again).
            using var stream = pipe ? new StreamReader(new FileStream(handle!, FileAccess.Read, bufferSize: 1)) : null;
            var input = await ReadZoneText(stream ?? Console.In, cancellationToken);
            request = await ParseAsync(parsed, fields, cancellationToken, zone: () => new StringReader(input));
        }
        else if (fileBytes is null)
        {
            request = await ParseAsync(parsed, fields, cancellationToken, zone: () => File.OpenText(file));
        }
        else
        {
            var bytes = AuditProgress.ForFile(file, _error) is { } progress ? progress.Wrap(fileBytes) : fileBytes;
            request = await ParseAsync(parsed, fields, cancellationToken, zone: () => bytes.Open(0, bytes.Length));
            if (request.Input is DiagnosisInput.ZoneText zoneText)
            {
                request = request with { Input = zoneText with { Bytes = bytes } };
            }
        }

        var report = await Diagnose(request, output, new LiveDnsOptions(), TimeSpan.FromSeconds(60), label, cancellationToken);
        return Print(report, file == "-" ? null : file, output);
    }

    public async Task<int> FixtureAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        if (parsed.GetValue(_o.Scenario) is not { } scenario)
        {
            WriteOut(output =>
            {
                foreach (var (name, fixture) in FixtureScenario.BuiltIn.OrderBy(s => s.Key, StringComparer.Ordinal))
                {
                    output.WriteLine($"{name,-28} {fixture.Metadata.Description}");
                }
            });
            return ExitCodes.Clean;
        }

        var fields = CommonFields(parsed);
        fields.Fixture = scenario;
        var output = CommonOutput(parsed);
        var report = await Diagnose(await ParseAsync(parsed, fields, cancellationToken), output, new LiveDnsOptions(), TimeSpan.FromSeconds(10), null, cancellationToken);
        return Print(report, null, output);
    }

    public async Task<int> CheckAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        var fields = CommonFields(parsed, parsed.GetValue(_o.Names));
        var output = CommonOutput(parsed);
        var options = LiveOptions(parsed);
        var report = await Diagnose(await ParseAsync(parsed, fields, cancellationToken, check: true), output, options, TimeSpan.FromSeconds(options.DeadlineSeconds), null, cancellationToken);
        return Print(report, null, output);
    }

    /// <summary>
    /// <c>acm scan --region R</c>: the certificates ACM has not issued, each described and diagnosed (live DNS,
    /// or --zone-file / --fixture), as a table or as POST /diagnose/account's JSON. Exit 1 when one is
    /// blocked, 3 when one could not be judged.
    /// </summary>
    public async Task<int> ScanAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        var acmOptions = AcmSettings(parsed);
        acmOptions.MaxScanCertificates = parsed.GetValue(_o.Max);
        acmOptions.ScanConcurrency = parsed.GetValue(_o.Concurrency);
        var fields = new AccountScanFields
        {
            Region = parsed.GetValue(_o.Region),
            MaxCertificates = parsed.GetValue(_o.Max),
            Provider = parsed.GetValue(_o.Provider),
            Origin = parsed.GetValue(_o.Origin),
            Fixture = parsed.GetValue(_o.ScanFixture),
            ZoneFile = parsed.GetValue(_o.ScanZone) is { } zoneFile
                ? File.Exists(zoneFile) ? await File.ReadAllTextAsync(zoneFile, cancellationToken) : throw new UsageException($"{zoneFile}: error: no such file", inFile: true)
                : null,
        };
        var profile = parsed.GetValue(_o.Profile) is { } profileFile ? ReadProfile(profileFile) : RuleProfile.Default;
        var live = LiveOptions(parsed);
        var diagnoser = new Diagnoser(new RuleEngine(_catalog, _clock), profile, live,
            new DiagnosisDeadlines(TimeSpan.FromSeconds(live.DeadlineSeconds), TimeSpan.FromSeconds(live.DeadlineSeconds)));
        var scan = new AccountScan(AcmClientFor(acmOptions), acmOptions, diagnoser);
        if (scan.Check(fields) is { Count: > 0 } errors)
        {
            throw new UsageException(string.Join(Environment.NewLine + "rulesapi: ", errors.Select(error => $"{ScanOptionNames.GetValueOrDefault(error.Field, "--" + error.Field)}: {error.Message}")));
        }

        var report = await scan.RunAsync(fields, cancellationToken);
        WriteOut(writer =>
        {
            if (parsed.GetValue(_o.Json))
            {
                writer.WriteLine(AccountScanJson.Serialize(report));
            }
            else
            {
                ReportPrinter.PrintScan(report, writer);
            }
        });
        return report.Certificates.Any(c => c.Verdict == Verdict.Blocked) ? ExitCodes.Failing
            : report.Certificates.Any(c => c.Verdict is null or Verdict.Inconclusive) ? ExitCodes.Inconclusive
            : ExitCodes.Clean;
    }

    private static readonly Dictionary<string, string> ScanOptionNames = new(StringComparer.Ordinal)
    {
        ["region"] = "--region",
        ["maxCertificates"] = "--max",
        ["zoneFile"] = "--zone-file",
        ["origin"] = "--origin",
        ["fixture"] = "--fixture",
        ["provider"] = "--provider",
    };

    private LiveDnsOptions LiveOptions(ParseResult parsed)
    {
        var options = new LiveDnsOptions
        {
            RootServers = [.. parsed.GetValue(_o.Root) ?? []],
            // Whoever names the root servers on the command line runs their own hierarchy (a lab): its servers may be private.
            AllowPrivateAddresses = parsed.GetValue(_o.Root) is { Length: > 0 },
            Resolvers = [.. parsed.GetValue(_o.Resolver) ?? []],
            QueryPort = parsed.GetValue(_o.Port),
            QueryTimeoutMs = parsed.GetValue(_o.TimeoutMs),
            DeadlineSeconds = parsed.GetValue(_o.DeadlineSeconds),
        };
        return options.Problems() is [var (setting, message), ..]
            ? throw new UsageException($"{LiveOptionNames.GetValueOrDefault(setting, setting)}: {message}")
            : options;
    }

    /// <summary>ACM on the command line: the user's own credentials, so no Acm:Enabled; --acm-endpoint for a VPC endpoint.</summary>
    private AcmOptions AcmSettings(ParseResult parsed)
    {
        var options = new AcmOptions { Enabled = true, ServiceUrl = parsed.GetValue(_o.AcmEndpoint) };
        return options.Problems() is [var (_, message), ..] ? throw new UsageException($"--acm-endpoint: {message}") : options;
    }

    private AcmClient AcmClientFor(AcmOptions options) => new(new HttpClient(), options, _acmCredentials);

    public int Rules()
    {
        WriteOut(output =>
        {
            foreach (var rule in _catalog.Rules.OrderBy(r => r.Metadata.Id, StringComparer.Ordinal))
            {
                output.WriteLine($"{rule.Metadata.Id,-8} {JsonNamingPolicy.KebabCaseLower.ConvertName(rule.Metadata.DefaultSeverity.ToString()),-8} {rule.Metadata.Title}");
            }
        });
        return ExitCodes.Clean;
    }

    private static readonly Dictionary<string, string> LiveOptionNames = new(StringComparer.Ordinal)
    {
        [nameof(LiveDnsOptions.RootServers)] = "--root",
        [nameof(LiveDnsOptions.Resolvers)] = "--resolver",
        [nameof(LiveDnsOptions.QueryPort)] = "--port",
        [nameof(LiveDnsOptions.QueryTimeoutMs)] = "--timeout-ms",
        [nameof(LiveDnsOptions.DeadlineSeconds)] = "--deadline-seconds",
    };

    /// <summary>The request's fields every diagnosing command shares: names, validation records, certificate, provider.</summary>
    private DiagnosisRequestFields CommonFields(ParseResult parsed, IEnumerable<string>? names = null)
    {
        var domains = (names ?? []).Concat((parsed.GetValue(_o.Domains) ?? [])
            .SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))).ToList();
        var validations = (parsed.GetValue(_o.Validation) ?? []).Select(pair => pair.Split('=', 2) is [var name, var value]
            ? new ValidationRecordFields { Name = name, Value = value }
            : throw new UsageException($"--validation takes NAME=VALUE (the CNAME ACM asked for), not '{pair}'")).ToList();
        return new DiagnosisRequestFields
        {
            Domains = domains.Count > 0 ? domains : null,
            ValidationRecords = validations.Count > 0 ? validations : null,
            AcmCertificate = parsed.GetValue(_o.Certificate) is { } file ? JsonFiles.Read(file, text => JsonDocument.Parse(text).RootElement.Clone()) : null,
            CertificateArn = parsed.GetValue(_o.CertificateArn),
            Provider = parsed.GetValue(_o.Provider),
            Ca = parsed.GetValue(_o.Ca),
        };
    }

    /// <summary>How the result is printed and judged: --profile, --format (or --json), --fail-on.</summary>
    private OutputChoice CommonOutput(ParseResult parsed)
    {
        var profile = parsed.GetValue(_o.Profile) is { } profileFile ? ReadProfile(profileFile) : RuleProfile.Default;
        var failOn = Enum.Parse<Severity>(parsed.GetValue(_o.FailOn)!, ignoreCase: true);
        var format = parsed.GetValue(_o.Json) ? "json" : parsed.GetValue(_o.Format)!;
        // 0 is "no cap" for either.
        var perRule = parsed.GetValue(_o.MaxFindingsPerRule) is var cap and > 0 ? cap : int.MaxValue;
        var names = parsed.GetValue(_o.MaxNames) is var listed and > 0 ? listed : int.MaxValue;
        return new OutputChoice(profile, format, failOn, parsed.GetValue(_o.HelpBaseUri), new FindingLimits(perRule, names));
    }

    private sealed record OutputChoice(RuleProfile Profile, string Format, Severity FailOn, string? HelpBaseUri, FindingLimits Limits);

    /// <summary>
    /// The request's fields, parsed by the one parser — after ACM is asked for the certificate, with
    /// --certificate-arn; a bad field is reported against the option that gave it.
    /// </summary>
    private async Task<DiagnosisRequest> ParseAsync(ParseResult command, DiagnosisRequestFields fields, CancellationToken cancellationToken, Func<TextReader>? zone = null, bool check = false)
    {
        ParsedRequest parsed;
        if (fields.CertificateArn is null)
        {
            parsed = DiagnosisRequestParser.Parse(fields, zone);
        }
        else
        {
            var options = AcmSettings(command);
            try
            {
                parsed = await new CertificateArnRequests(AcmClientFor(options), options).ParseAsync(fields, cancellationToken, zone);
            }
            catch (AcmException failure) when (failure.Kind == AcmErrorKind.InvalidArn)
            {
                throw new UsageException($"--certificate-arn: {failure.Message}");
            }
        }

        if (parsed.Request is { } request)
        {
            return request;
        }

        throw new UsageException(string.Join(Environment.NewLine + "rulesapi: ", parsed.Errors.Select(error => Describe(error, fields, check))));
    }

    /// <summary>A field path of the request (<c>domains[2]</c>, <c>validationRecords[0].value</c>) said as the command line's option.</summary>
    private static string Describe(FieldError error, DiagnosisRequestFields fields, bool check)
    {
        var top = error.Field.Split('.', '[')[0];
        var index = error.Field.IndexOf('[', StringComparison.Ordinal) is var open and >= 0
            && int.TryParse(error.Field.AsSpan(open + 1, error.Field.IndexOf(']', open) - open - 1), out var i) ? i : -1;
        return top switch
        {
            "domains" when index >= 0 => $"'{fields.Domains![index]}': {error.Message}",
            "domains" => $"{(check ? "names" : "--domains")}: {error.Message}",
            "validationRecords" => $"--validation: {error.Message}",
            "acmCertificate" => $"--certificate: {error.Field}: {error.Message}",
            "certificateArn" => $"--certificate-arn: {error.Message}",
            "parentDs" when index >= 0 => $"--ds: '{fields.ParentDs![index]}': {error.Message}",
            "fixture" => $"no scenario '{fields.Fixture}' ('rulesapi fixture' lists them)",
            _ => $"--{top}: {error.Message}",
        };
    }

    private async Task<DiagnosisReport> Diagnose(DiagnosisRequest request, OutputChoice output, LiveDnsOptions live, TimeSpan deadline, string? file, CancellationToken cancellationToken)
    {
        var diagnoser = new Diagnoser(new RuleEngine(_catalog, _clock) { Limits = output.Limits }, output.Profile, live, new DiagnosisDeadlines(deadline, deadline));
        // The serializer's setup for the report runs on the other core while the zone is read (one core's work).
        var preparing = output.Format == "json" ? Task.Run(ReportJson.Prepare, cancellationToken) : Task.CompletedTask;
        try
        {
            var report = await diagnoser.RunAsync(request, cancellationToken);
            await preparing;
            return report;
        }
        catch (DiagnosisDeadlineException late)
        {
            throw new UsageException($"{file ?? "rulesapi"}: error: {late.Message}", inFile: file is not null);
        }
        catch (DiagnosisInputException mistake) when (mistake.Field == "origin")
        {
            throw new UsageException($"{file}:1:1: error: the zone's origin is unknown (no $ORIGIN, no SOA with a full name): give --origin", inFile: true);
        }
        catch (DiagnosisInputException mistake) when (mistake.Field.StartsWith("parentDs", StringComparison.Ordinal))
        {
            throw new UsageException($"--ds: {mistake.Message}");
        }
        catch (DiagnosisInputException mistake)
        {
            throw new UsageException($"--{mistake.Field}: {mistake.Message}");
        }
    }

    /// <summary>Reads a profile and checks it against the catalog: an unknown rule, message or option is an error, not ignored.</summary>
    private RuleProfile ReadProfile(string file)
    {
        var profile = JsonFiles.Read(file, RuleProfile.Parse);
        return profile.Problems(_catalog) is { Count: > 0 } problems
            ? throw new UsageException(string.Join(Environment.NewLine, problems.Select(problem => $"{file}: error: {problem}")), inFile: true)
            : profile;
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

    private int Print(DiagnosisReport report, string? file, OutputChoice output)
    {
        var exit = report.Findings.Any(f => f.Severity <= output.FailOn) ? ExitCodes.Failing
            : report.Names.Any(n => n.Verdict == Verdict.Inconclusive) || report.NamesTruncated?.Inconclusive > 0 ? ExitCodes.Inconclusive
            : ExitCodes.Clean;
        WriteOut(writer =>
        {
            switch (output.Format)
            {
                case "json":
                    ReportPrinter.PrintJson(report, writer);
                    break;
                case "sarif":
                    SarifReport.Write(report, _catalog, file, exit, output.HelpBaseUri, writer);
                    break;
                default:
                    ReportPrinter.PrintText(report, file ?? (report.Zone is null ? null : "<stdin>"), writer);
                    break;
            }
        });

        return exit;
    }
}
