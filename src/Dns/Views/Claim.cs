namespace RulesApi.Dns.Views;

/// <summary>
/// Work done once for every caller that asks for it. The first caller claims the work by putting a
/// <see cref="TaskCompletionSource{T}"/>'s task where the others look (a memo's dictionary or slot), then does it here;
/// the claim ends as the work does: with its result, its cancellation (with the token that cancelled it) or its failure.
/// Work that completes at once (an answer from memory) settles the claim at once, with no continuation.
/// </summary>
public static class Claim
{
    /// <param name="work">
    /// A ValueTask: work that completes at once (an offline diagnosis's facts, each chain of trust) gives its result with no
    /// task of its own besides the claim's; a Task per fact was a tenth of a fixture diagnosis's garbage.
    /// </param>
    public static Task<T> Complete<TState, T>(TaskCompletionSource<T> claim, TState state, Func<TState, ValueTask<T>> work)
    {
        ValueTask<T> started;
        try
        {
            started = work(state);
        }
#pragma warning disable CA1031 // The failure belongs to every caller of the work, as the task's exception.
        catch (Exception error)
#pragma warning restore CA1031
        {
            started = ValueTask.FromException<T>(error);
        }

        if (started.IsCompletedSuccessfully)
        {
            claim.SetResult(started.Result);
            return claim.Task;
        }

        var working = started.AsTask();
        if (working.IsCompleted)
        {
            Settle(claim, working);
        }
        else
        {
            working.ContinueWith(static (done, state) => Settle((TaskCompletionSource<T>)state!, done), claim,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return claim.Task;
    }

    private static void Settle<T>(TaskCompletionSource<T> claim, Task<T> done)
    {
        if (done.IsCompletedSuccessfully)
        {
            claim.SetResult(done.Result);
        }
        else if (done.IsCanceled)
        {
            // With the token that cancelled it, as awaiting the work itself would have shown.
            try
            {
                done.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException cancelled)
            {
                claim.SetCanceled(cancelled.CancellationToken);
            }
        }
        else
        {
            claim.SetException(done.Exception!.InnerExceptions);
        }
    }
}
