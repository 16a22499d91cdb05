namespace RulesApi.Rules.Diagnosis;

/// <summary>
/// The <c>text/dns</c> form of <c>POST /diagnose</c>: the body is the zone, <c>?origin=</c> names it and
/// <c>?domains=a,b</c> (repeatable, comma-separated) lists names to diagnose against it. The HTTP binder
/// and the fuzz target both read it through here.
/// </summary>
public static class DiagnosisRequestText
{
    public const string ContentType = "text/dns";

    public static DiagnosisRequestFields Fields(string zoneText, string? origin, IEnumerable<string?> domainValues)
    {
        var domains = domainValues
            .SelectMany(value => (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        return new DiagnosisRequestFields
        {
            ZoneFile = zoneText,
            Origin = origin,
            Domains = domains.Count > 0 ? domains : null,
        };
    }
}
