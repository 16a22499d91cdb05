namespace RulesApi.Dns.Tests.Differential;

/// <summary>The zones of the differential corpus (<c>Differential/zones</c>, copied next to the tests), which several tests read in their own ways.</summary>
public static class CorpusZones
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Differential", "zones");

    /// <summary>The zones' file names, in a stable order, as a test's data.</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Folder, "*.zone").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    public static string PathOf(string file) => Path.Combine(Folder, file);
}
