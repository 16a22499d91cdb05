using System.Text.Json;

namespace RulesApi.Cli;

/// <summary>Reads a JSON input file (a profile, a certificate); a syntax error is reported at its line and column.</summary>
public static class JsonFiles
{
    public static T Read<T>(string file, Func<string, T> parse)
    {
        if (Directory.Exists(file))
        {
            throw new UsageException($"{file}: error: is a directory, not a JSON file", inFile: true);
        }

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
            var message = error.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0];
            // The serializer names the .NET type it was filling ("could not be converted to RulesApi.Rules.Runtime.RuleSettings");
            // the setting's path says where, in the file's own words.
            if (message.StartsWith("The JSON value could not be converted to ", StringComparison.Ordinal))
            {
                message = "this value is not of the type the setting takes.";
            }
            else if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            {
                message = "there is no such setting.";
            }

            var path = error.Path is { Length: > 1 } where ? where.TrimStart('$').TrimStart('.') + ": " : "";
            throw new UsageException($"{file}:{at}: error: {path}{message}", inFile: true);
        }
    }
}
