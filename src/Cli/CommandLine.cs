namespace RulesApi.Cli;

/// <summary>
/// A mistake on the command line or in an input file, exit code 2. A mistake in a file is printed as
/// <c>file:line:column: error: …</c> so editors and CI can point at it; others get the program's name first.
/// </summary>
public sealed class UsageException(string message, bool inFile = false) : Exception(message)
{
    public bool InFile { get; } = inFile;
}

/// <summary>The report could not be written to standard output (a full disk, a closed pipe); exit code 2.</summary>
public sealed class OutputException(IOException inner) : Exception("standard output cannot be written", inner);

/// <summary>
/// The words of a command line: the command, its positional arguments, and <c>--option value</c> pairs
/// (an option may repeat; <c>--json</c>, <c>--help</c> and <c>--verbose</c> take no value).
/// </summary>
public sealed class CommandLine
{
    private static readonly HashSet<string> Flags = ["--json", "--help", "--verbose"];

    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private CommandLine(string command, List<string> positional)
    {
        Command = command;
        Positional = positional;
    }

    public string Command { get; }

    public IReadOnlyList<string> Positional { get; }

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw new UsageException("no command given");
        }

        var line = new CommandLine(args[0], []);
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                ((List<string>)line.Positional).Add(arg);
                continue;
            }

            var (key, value) = arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
            if (value is null && !Flags.Contains(key))
            {
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"{key} needs a value");
                }

                value = args[++i];
            }

            if (!line._options.TryGetValue(key, out var values))
            {
                line._options[key] = values = [];
            }

            values.Add(value ?? "");
        }

        return line;
    }

    public bool Has(string option)
    {
        _read.Add(option);
        return _options.ContainsKey(option);
    }

    public string? Value(string option)
    {
        _read.Add(option);
        return _options.TryGetValue(option, out var values) ? values[^1] : null;
    }

    public IReadOnlyList<string> Values(string option)
    {
        _read.Add(option);
        return _options.TryGetValue(option, out var values) ? values : [];
    }

    public int Number(string option, int fallback, int min, int max)
    {
        var text = Value(option);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new UsageException($"{option} takes a whole number from {min} to {max}, not '{text}'");
    }

    /// <summary>Fails on options the command did not read: a typo must not be silently ignored.</summary>
    public void RejectUnknownOptions()
    {
        if (_options.Keys.FirstOrDefault(key => !_read.Contains(key)) is { } unknown)
        {
            throw new UsageException($"unknown option {unknown} for '{Command}' (see 'rulesapi help')");
        }
    }
}
