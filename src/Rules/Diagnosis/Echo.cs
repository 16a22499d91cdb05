namespace RulesApi.Rules.Diagnosis;

/// <summary>
/// A request's own text quoted back in an error, cut short: a 5 MB <c>provider</c> is answered with its
/// first characters and its length, never whole (an error must not cost more than the request did).
/// </summary>
public static class Echo
{
    /// <summary>The most characters of a value quoted back.</summary>
    public const int MaxQuoted = 64;

    /// <summary>The most characters of a field path or an error message.</summary>
    public const int MaxField = 256;

    public const int MaxMessage = 1024;

    public static string Quoted(string text) => Short(text, MaxQuoted);

    public static string Short(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max), $"… ({text.Length} characters)");
}
