using RulesApi.Fuzz;

namespace RulesApi.Rules.Tests;

/// <summary>
/// The fuzz targets (fuzz/Fuzz) on their committed inputs, uninstrumented, in the normal test run: every
/// seed in fuzz/corpus/TARGET and every input that once crashed a target, kept in fuzz/regressions/TARGET,
/// must go through without an unexpected exception.
/// </summary>
public sealed class FuzzRegressionTests
{
    private static readonly string FuzzFolder = FindFuzzFolder();

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in FuzzTargets.All.Keys)
        {
            foreach (var kind in new[] { "corpus", "regressions" })
            {
                foreach (var file in Directory.GetFiles(Path.Combine(FuzzFolder, kind, target)).Where(f => !f.EndsWith(".keep", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
                {
                    data.Add(target, Path.GetRelativePath(FuzzFolder, file));
                }
            }
        }

        return data;
    }

    [Fact]
    public void Every_target_has_seeds()
    {
        foreach (var target in FuzzTargets.All.Keys)
        {
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(FuzzFolder, "corpus", target)));
        }
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void A_committed_fuzz_input_does_not_crash_its_target(string target, string input)
    {
        using var stream = File.OpenRead(Path.Combine(FuzzFolder, input));
        FuzzTargets.All[target](stream);
    }

    private static string FindFuzzFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "RulesApi.sln")))
            {
                return Path.Combine(folder.FullName, "fuzz");
            }
        }

        throw new InvalidOperationException("cannot find the repository (RulesApi.sln) above " + AppContext.BaseDirectory);
    }
}
