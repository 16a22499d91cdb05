namespace RulesApi.Dns.Live;

/// <summary>One query of a live diagnosis, for the report's audit trail: the rcode (or "timeout") and the header flags (aa tc rd ra ad cd).</summary>
public sealed record QueryLogEntry(string Server, string Name, string Type, string Outcome, bool Authoritative, string Flags, long Milliseconds)
{
    /// <summary>When the query was sent, in milliseconds since the diagnosis began: which questions waited for which.</summary>
    public long StartedAtMs { get; init; }

    /// <summary>True when nothing was sent: the answer came from what earlier diagnoses learned of the zones above the customer's (<see cref="SharedDnsCache"/>).</summary>
    public bool? Cached { get; init; }
}
