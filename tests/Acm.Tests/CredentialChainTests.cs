namespace RulesApi.Acm.Tests;

/// <summary>
/// The SDK's default chain, read from this process's environment (the only tests here that touch it; one
/// class, so they run one after the other). Profiles point at files that do not exist and the instance
/// metadata service is disabled, so nothing leaves the machine.
/// </summary>
public sealed class CredentialChainTests
{
    private static readonly string[] Variables =
        ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_PROFILE",
         "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"];

    private static async Task<AcmCredentials?> WithEnvironment(Dictionary<string, string?> values)
    {
        var saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var variable in Variables)
            {
                Environment.SetEnvironmentVariable(variable, values.GetValueOrDefault(variable));
            }

            Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/rulesapi-test/credentials");
            Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", "/nonexistent/rulesapi-test/config");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            return await new SdkCredentialChain().GetAsync(timeout.Token);
        }
        finally
        {
            foreach (var (variable, value) in saved)
            {
                Environment.SetEnvironmentVariable(variable, value);
            }
        }
    }

    [Fact]
    public async Task Environment_variables_give_the_credentials()
    {
        var credentials = await WithEnvironment(new() { ["AWS_ACCESS_KEY_ID"] = "AKIAENVIRONMENT00001", ["AWS_SECRET_ACCESS_KEY"] = "env-secret" });

        Assert.Equal(new AcmCredentials("AKIAENVIRONMENT00001", "env-secret"), credentials);
    }

    [Fact]
    public async Task Nothing_configured_is_no_credentials_not_an_exception()
    {
        Assert.Null(await WithEnvironment([]));
    }
}
