namespace RulesApi.Api.Features.Health;

/// <summary>
/// Whether the host is shutting down (SIGTERM: its lifetime's ApplicationStopping), for readiness. A token of its
/// own rather than the lifetime itself, because a test host cannot be told it is stopping without being stopped.
/// </summary>
public sealed class ShutdownSignal(CancellationToken stopping)
{
    public bool Stopping => stopping.IsCancellationRequested;
}
