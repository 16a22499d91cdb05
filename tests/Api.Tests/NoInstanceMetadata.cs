using System.Runtime.CompilerServices;

namespace RulesApi.Api.Tests;

internal static class NoInstanceMetadata
{
    /// <summary>No test may reach AWS: the SDK's credential chain must not ask the instance metadata service.</summary>
    [ModuleInitializer]
    internal static void Disable() => Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
}
