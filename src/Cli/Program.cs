using System.CommandLine;
using System.CommandLine.Parsing;
using RulesApi.Acm;

namespace RulesApi.Cli;

/// <summary>
/// <c>rulesapi</c>: the service's diagnosis on the command line. Parses the command line
/// (System.CommandLine), runs the command, and keeps the promise of its exit codes (<see cref="ExitCodes"/>):
/// every mistake is one line on standard error, never a .NET stack trace.
/// </summary>
public sealed class Program
{
    public const int Clean = ExitCodes.Clean;
    public const int Failing = ExitCodes.Failing;
    public const int BadInput = ExitCodes.BadInput;
    public const int Inconclusive = ExitCodes.Inconclusive;

    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly Commands _commands;
    private readonly CliOptions _options = new();

    /// <param name="acmCredentials">What calls to ACM are signed with; the SDK's usual chain when not given.</param>
    public Program(TextWriter output, TextWriter error, TimeProvider? clock = null, IAcmCredentialSource? acmCredentials = null)
    {
        _out = output;
        _error = error;
        _commands = new Commands(_options, output, error, clock ?? TimeProvider.System, acmCredentials ?? new SdkCredentialChain());
    }

    public static Task<int> Main(string[] args) => new Program(Console.Out, Console.Error).RunAsync(args, CancellationToken.None);

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        // The input a failure concerns, for its one line: the zone file, else the command.
        var subject = args is ["audit", var file, ..] && !file.StartsWith('-') ? file : args is [var command, ..] ? $"rulesapi {command}" : "rulesapi";
        try
        {
            var root = BuildCommands();
            var parsed = root.Parse([.. args]);
            if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
            {
                foreach (var line in Describe(parsed))
                {
                    TryWriteError($"rulesapi: {line}");
                }

                return BadInput;
            }

            return await parsed.InvokeAsync(new InvocationConfiguration { Output = _out, Error = _error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (UsageException mistake)
        {
            TryWriteError(mistake.InFile ? mistake.Message : $"rulesapi: {mistake.Message}");
            return BadInput;
        }
        catch (AcmException failure)
        {
            // ACM could not be asked, or refused: what happened and what to do, on one line (never a credential).
            TryWriteError($"rulesapi: ACM: {failure.Title}: {failure.Message}");
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

    private RootCommand BuildCommands()
    {
        var o = _options;
        var audit = new Command("audit", "Audit a zone file offline: its syntax and integrity, every CAA set, ACM-style validation CNAMEs — or the names given against it");
        audit.Arguments.Add(o.Zone);
        foreach (var option in o.Diagnosing.Concat([o.Origin, o.Ds]))
        {
            audit.Options.Add(option);
        }

        audit.SetAction((parsed, cancellation) => _commands.AuditAsync(parsed, cancellation));

        var fixture = new Command("fixture", "Diagnose a built-in offline scenario (a small DNS hierarchy); without a name, list them");
        fixture.Arguments.Add(o.Scenario);
        foreach (var option in o.Diagnosing)
        {
            fixture.Options.Add(option);
        }

        fixture.SetAction((parsed, cancellation) => _commands.FixtureAsync(parsed, cancellation));

        var check = new Command("check", "Check names against live DNS, iterating from the root servers given (it needs network access)");
        check.Arguments.Add(o.Names);
        foreach (var option in o.Diagnosing.Concat([o.Root, o.Resolver, o.Port, o.TimeoutMs, o.DeadlineSeconds]))
        {
            check.Options.Add(option);
        }

        check.SetAction((parsed, cancellation) => _commands.CheckAsync(parsed, cancellation));

        var scan = new Command("scan",
            "List the certificates ACM has not issued in a region (PENDING_VALIDATION, FAILED), diagnose each, and print a table: certificate, names, status, verdict, first fix");
        foreach (var option in o.Scanning)
        {
            scan.Options.Add(option);
        }

        scan.SetAction((parsed, cancellation) => _commands.ScanAsync(parsed, cancellation));
        var acm = new Command("acm", "Ask ACM itself, with your AWS credentials (acm:ListCertificates, acm:DescribeCertificate)") { scan };

        var rules = new Command("rules", "List the rule catalog: id, default severity, title");
        rules.SetAction(_ => _commands.Rules());

        var root = new RootCommand(
            "rulesapi: why AWS Certificate Manager will not issue a certificate, and which DNS records to add, fix or remove.\n\n" +
            "Exit codes: 0 no finding at or above --fail-on (default error); 1 findings at or above it; " +
            "2 a mistake on the command line or in an input file (printed as file:line:column: error: … where the file has positions), " +
            "ACM could not be asked or refused (--certificate-arn, acm scan), or an internal error; 3 nothing at or above --fail-on, but a name is inconclusive (a lookup failed or timed out: the zone's servers, or the --root or --resolver servers, did not answer), so CI does not pass during an outage.")
        {
            audit, fixture, check, acm, rules,
        };
        root.SetAction(_ =>
        {
            TryWriteError("rulesapi: give a command: audit, fixture, check, acm or rules (see 'rulesapi --help')");
            return BadInput;
        });
        return root;
    }

    /// <summary>Parse errors in this program's words: an unknown option is named as such, with where to look.</summary>
    private static IEnumerable<string> Describe(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var where = command is RootCommand ? "rulesapi --help" : $"rulesapi {command.Name} --help";
        var unmatched = parsed.UnmatchedTokens.ToHashSet(StringComparer.Ordinal);
        foreach (var token in parsed.UnmatchedTokens)
        {
            yield return token.StartsWith('-')
                ? $"unknown option {token} for '{command.Name}' (see '{where}')"
                : command is RootCommand ? $"unknown command '{token}' (see '{where}')" : $"unexpected argument '{token}' for '{command.Name}' (see '{where}')";
        }

        foreach (var error in parsed.Errors.Where(e => !unmatched.Any(token => e.Message.Contains($"'{token}'", StringComparison.Ordinal))))
        {
            // Name the option or argument the error is about: "--fail-on: Argument 'loud' not recognized…".
            var owner = error.SymbolResult switch
            {
                OptionResult option => option.Option.Name,
                ArgumentResult { Parent: OptionResult option } => option.Option.Name,
                ArgumentResult argument => argument.Argument.Name,
                _ => null,
            };
            yield return owner is null ? error.Message : $"{owner}: {error.Message}";
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
}

/// <summary>What <c>rulesapi</c> exits with; <c>--help</c> says the same.</summary>
public static class ExitCodes
{
    /// <summary>No finding at or above <c>--fail-on</c>, and every name judged.</summary>
    public const int Clean = 0;

    /// <summary>Findings at or above <c>--fail-on</c>.</summary>
    public const int Failing = 1;

    /// <summary>A mistake on the command line or in an input file, or an internal error.</summary>
    public const int BadInput = 2;

    /// <summary>Nothing at or above <c>--fail-on</c>, but a name could not be judged: a CI job must not pass during an outage.</summary>
    public const int Inconclusive = 3;
}
