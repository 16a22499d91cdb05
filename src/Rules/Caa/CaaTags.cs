namespace RulesApi.Rules.Caa;

/// <summary>Property tags of the IANA "Certification Authority Restriction Properties" registry.</summary>
public static class CaaTags
{
    public const string Issue = "issue";
    public const string IssueWild = "issuewild";
    public const string Iodef = "iodef";

    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        Issue, IssueWild, Iodef, "contactemail", "contactphone", "issuemail", "issuevmc", "auth", "path", "policy",
    };

    public static bool IsKnown(string tag) => Known.Contains(tag);

    public static bool Is(string tag, string expected) => string.Equals(tag, expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>The tag a person probably meant, when an unknown tag is one slip away from issue, issuewild or iodef.</summary>
    public static string? LikelyMeant(string tag)
    {
        if (IsKnown(tag))
        {
            return null;
        }

        var lowered = tag.ToLowerInvariant();
        foreach (var candidate in new[] { IssueWild, Issue, Iodef })
        {
            if (EditDistance(lowered, candidate) <= (candidate.Length > 5 ? 2 : 1))
            {
                return candidate;
            }
        }

        return lowered.Contains("wild", StringComparison.Ordinal) ? IssueWild
            : lowered.StartsWith("iss", StringComparison.Ordinal) ? Issue
            : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
