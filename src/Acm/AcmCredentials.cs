using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace RulesApi.Acm;

/// <summary>
/// The keys a request to ACM is signed with. <see cref="ToString"/> never shows the secret or the token
/// (nor the whole key ID), so credentials written into a log by mistake give nothing away.
/// </summary>
public sealed record AcmCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    public override string ToString() => $"AcmCredentials({Redacted(AccessKeyId)}, secret hidden{(SessionToken is null ? "" : ", session token hidden")})";

    /// <summary>An access key ID shown as its first four characters only (AKIA…, ASIA…).</summary>
    public static string Redacted(string accessKeyId) => accessKeyId.Length > 4 ? accessKeyId[..4] + "…" : "…";
}

/// <summary>Where the service's credentials come from: the SDK's usual chain in production, fixed keys in tests.</summary>
public interface IAcmCredentialSource
{
    /// <summary>The credentials to sign with, or null when there are none.</summary>
    Task<AcmCredentials?> GetAsync(CancellationToken cancellationToken);
}

/// <summary>Fixed credentials (tests; a command line given keys).</summary>
public sealed class StaticAcmCredentials(AcmCredentials? credentials) : IAcmCredentialSource
{
    public Task<AcmCredentials?> GetAsync(CancellationToken cancellationToken) => Task.FromResult(credentials);
}

/// <summary>
/// AWS's default chain, as every SDK reads it: environment variables, the shared credentials and config
/// files (profiles, SSO), the container's and the instance's roles. Its failure to find any is "no
/// credentials", never an exception for the caller.
/// </summary>
public sealed class SdkCredentialChain : IAcmCredentialSource
{
    // Made on first use, and held as an object: the command line makes a chain on every run, and a field of
    // the SDK's type would load the SDK's assemblies into every audit that never asks ACM.
    private object? _resolver;

    public async Task<AcmCredentials?> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            var resolver = (DefaultAWSCredentialsIdentityResolver)(_resolver ??= new DefaultAWSCredentialsIdentityResolver());
            var identity = resolver.ResolveIdentity(null, cancellationToken);
            if (identity is null)
            {
                return null;
            }

            var keys = await identity.GetCredentialsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            return keys is { AccessKey.Length: > 0, SecretKey.Length: > 0 }
                ? new AcmCredentials(keys.AccessKey, keys.SecretKey, keys.UseToken ? keys.Token : null)
                : null;
        }
        catch (AmazonClientException)
        {
            // "Failed to resolve AWS credentials": the chain is exhausted.
            return null;
        }
    }
}
