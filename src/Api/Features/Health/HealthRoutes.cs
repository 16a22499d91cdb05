namespace RulesApi.Api.Features.Health;

/// <summary>Where the health checks answer: never rate-limited and, with API keys on, open to probes without a key.</summary>
public static class HealthRoutes
{
    public const string Live = "/health/live";
    public const string Ready = "/health/ready";

    /// <summary>The liveness check's first name, kept so probes configured against it go on working.</summary>
    public const string Legacy = "/healthz";

    public static bool Matches(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments(Legacy);
}
