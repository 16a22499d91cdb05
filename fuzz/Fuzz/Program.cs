using RulesApi.Fuzz;
using SharpFuzz;

// rulesapi fuzz targets. Under afl-fuzz (bench/fuzz.sh): `RulesApi.Fuzz TARGET`, reading inputs from AFL's
// fork server. To replay inputs (a crash AFL saved, or a seed folder): `RulesApi.Fuzz TARGET FILE|DIR...`.
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: RulesApi.Fuzz {{{string.Join('|', FuzzTargets.All.Keys)}}} [input files or folders to replay]");
    return 2;
}

if (args.Length > 1)
{
    var files = args.Skip(1).SelectMany(path => Directory.Exists(path) ? Directory.GetFiles(path) : [path]).Order(StringComparer.Ordinal).ToList();
    foreach (var file in files)
    {
        using var input = File.OpenRead(file);
        target(input);
    }

    Console.WriteLine($"{files.Count} inputs replayed through '{args[0]}' without a crash");
    return 0;
}

Fuzzer.OutOfProcess.Run(stream => target(stream));
return 0;
