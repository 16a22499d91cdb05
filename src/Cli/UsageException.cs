namespace RulesApi.Cli;

/// <summary>
/// A mistake on the command line or in an input file, exit code 2. A mistake in a file is printed as
/// <c>file:line:column: error: …</c> so editors and CI can point at it; others get the program's name first.
/// </summary>
public sealed class UsageException(string message, bool inFile = false) : Exception(message)
{
    public bool InFile { get; } = inFile;
}

/// <summary>The report could not be written to standard output (a full disk, a closed pipe).</summary>
public sealed class OutputException(IOException inner) : Exception(inner.Message, inner);
