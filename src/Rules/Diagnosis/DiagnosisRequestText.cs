namespace RulesApi.Rules.Diagnosis;

/// <summary>
/// The <c>text/dns</c> form of <c>POST /diagnose</c>: the body is the zone, <c>?origin=</c> names it,
/// <c>?domains=a,b</c> (repeatable, comma-separated) lists names to diagnose against it, and
/// <c>?provider=</c> and <c>?ca=</c> are the JSON form's fields of those names. The HTTP binder and the
/// fuzz target both read it through here.
/// </summary>
public static class DiagnosisRequestText
{
    public const string ContentType = "text/dns";

    /// <summary>The query parameters a text/dns body may come with; any other is refused by name.</summary>
    public static readonly IReadOnlyList<string> QueryParameters = ["origin", "domains", "provider", "ca"];

    public static DiagnosisRequestFields Fields(string zoneText, string? origin, IEnumerable<string?> domainValues, string? provider = null, string? ca = null)
    {
        var fields = Fields(origin, domainValues, provider, ca);
        fields.ZoneFile = zoneText;
        return fields;
    }

    /// <summary>The fields of a body taken as bytes from the request (the service's way: the zone is held once).</summary>
    public static DiagnosisRequestFields Fields(ZoneTextBuffer zoneText, string? origin, IEnumerable<string?> domainValues, string? provider = null, string? ca = null)
    {
        var fields = Fields(origin, domainValues, provider, ca);
        fields.ZoneText = zoneText;
        return fields;
    }

    private static DiagnosisRequestFields Fields(string? origin, IEnumerable<string?> domainValues, string? provider, string? ca)
    {
        var domains = domainValues
            .SelectMany(value => (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        return new DiagnosisRequestFields
        {
            Origin = origin,
            Domains = domains.Count > 0 ? domains : null,
            Provider = provider,
            Ca = ca,
        };
    }
}
