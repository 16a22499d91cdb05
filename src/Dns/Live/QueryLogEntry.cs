namespace RulesApi.Dns.Live;

/// <summary>One query of a live diagnosis, for the report's audit trail.</summary>
public sealed record QueryLogEntry(string Server, string Name, string Type, string Outcome, bool Authoritative, long Milliseconds);
