using Microsoft.AspNetCore.Mvc.Testing;

namespace RulesApi.Api.Tests;

/// <summary>The real service, hosted in memory, shared by the tests of one class.</summary>
public sealed class ServiceFactory : WebApplicationFactory<Program>
{
    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RulesApi.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RulesApi.sln not found");
    }
}
