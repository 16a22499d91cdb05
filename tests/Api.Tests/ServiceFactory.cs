using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace RulesApi.Api.Tests;

/// <summary>The real service, hosted in memory, shared by the tests of one class. Its clock stands still, so time estimates in findings are stable.</summary>
public sealed class ServiceFactory : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private readonly ConcurrentQueue<string> _violations = new();
    private ContractValidator? _validator;

    /// <summary>Settings of this host (<c>Api:Keys:ci</c>, …); its contract is the document it serves with them.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>What the responses produced through this host got wrong against openapi.yaml.</summary>
    public IReadOnlyCollection<string> ContractViolations => _violations;

    /// <summary>The contract as this host serves it.</summary>
    public ContractValidator Contract => _validator ??= new ContractValidator(
        Services.GetRequiredService<Contract.OpenApiContract>().JsonAsync().GetAwaiter().GetResult());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Every request of a test class comes from one in-memory client: the per-client limit is the subject of ClientLimitsTests only.
        builder.UseSetting("Api:Limits:RequestsPerMinute", "1000000");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
            // Every response any test produces is checked against the contract (ContractCheckingStartupFilter).
            services.AddSingleton<IStartupFilter>(new ContractCheckingStartupFilter(() => Contract, _violations));
        });
    }

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
