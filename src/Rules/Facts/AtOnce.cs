namespace RulesApi.Rules.Facts;

/// <summary>
/// Several questions put to a view at once, their answers gathered in the questions' order. Every question is asked
/// before any answer is waited for, so a live view's round trips overlap. When every answer is already there (a fixture's
/// or a zone's view answers from memory) no task is made at all: <c>Task.WhenAll</c> over <c>AsTask</c> made a task per
/// answer, an array of them and a promise, for answers that were known before it was called.
/// </summary>
public static class AtOnce
{
    /// <param name="state">What <paramref name="ask"/> needs besides the item: with a <c>static</c> lambda no closure is made.</param>
    public static ValueTask<T[]> Ask<TItem, TState, T>(IReadOnlyList<TItem> items, TState state, Func<TItem, TState, ValueTask<T>> ask)
    {
        var answers = new T[items.Count];
        Task<T>?[]? waiting = null;
        for (var i = 0; i < items.Count; i++)
        {
            var asked = ask(items[i], state);
            if (asked.IsCompletedSuccessfully)
            {
                answers[i] = asked.Result;
            }
            else
            {
                (waiting ??= new Task<T>?[items.Count])[i] = asked.AsTask();
            }
        }

        return waiting is null ? new ValueTask<T[]>(answers) : new ValueTask<T[]>(Wait(answers, waiting));
    }

    private static async Task<T[]> Wait<T>(T[] answers, Task<T>?[] waiting)
    {
        // All waited for together, as Task.WhenAll did: a failure is thrown once every question has ended, none is left unobserved.
        await Task.WhenAll(waiting.OfType<Task<T>>()).ConfigureAwait(false);
        for (var i = 0; i < waiting.Length; i++)
        {
            if (waiting[i] is { } task)
            {
                answers[i] = task.Result;
            }
        }

        return answers;
    }
}
