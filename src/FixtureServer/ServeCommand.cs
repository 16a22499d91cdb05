using RulesApi.Fixtures;
namespace RulesApi.FixtureServer;

/// <summary>
/// <c>dotnet run --project src/FixtureServer -- serve &lt;scenario&gt; [--port N]</c>: serves one built-in scenario
/// on its loopback addresses until Ctrl+C. (A named class, not top-level statements, so that no second
/// global Program type meets the service's.)
/// </summary>
internal static class ServeCommand
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 2 || args[0] != "serve")
        {
            Console.Error.WriteLine("usage: serve <scenario> [--port N]");
            Console.Error.WriteLine("scenarios: " + string.Join(", ", FixtureScenario.BuiltIn.Keys.Order(StringComparer.Ordinal)));
            return 2;
        }

        if (!FixtureScenario.BuiltIn.TryGetValue(args[1], out var scenario))
        {
            Console.Error.WriteLine($"no scenario '{args[1]}'; scenarios: {string.Join(", ", FixtureScenario.BuiltIn.Keys.Order(StringComparer.Ordinal))}");
            return 2;
        }

        var port = 0;
        if (args.Length >= 4 && args[2] == "--port" && (!int.TryParse(args[3], out port) || port is < 1 or > 65535))
        {
            Console.Error.WriteLine($"--port takes a number from 1 to 65535, not '{args[3]}'");
            return 2;
        }

        using var server = FixtureDnsServer.Start(scenario, port);
        foreach (var (address, zones) in server.ZonesByAddress)
        {
            Console.WriteLine($"{address}:{server.Port} (udp, tcp) serves {string.Join(", ", zones.Select(z => z.Apex.Text))}");
        }

        Console.WriteLine($"try: dig @{server.RootAddress} -p {server.Port} +norecurse www.example.com CAA   (Ctrl+C stops)");
        var stop = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.TrySetResult();
        };
        await stop.Task;
        return 0;
    }
}
