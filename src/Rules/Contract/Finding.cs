using RulesApi.Dns.Records;

namespace RulesApi.Rules.Contract;

/// <summary>One thing a rule found, with the evidence and what to do about it (DESIGN.md "A finding").</summary>
public sealed record Finding
{
    public required string RuleId { get; init; }

    public required Severity Severity { get; init; }

    /// <summary>The name the finding concerns, absolute, with its trailing dot.</summary>
    public required string Name { get; init; }

    public required string Title { get; init; }

    public required string Message { get; init; }

    public IReadOnlyList<string> Evidence { get; init; } = [];

    public Remediation? Remediation { get; init; }

    public IReadOnlyList<string> References { get; init; } = [];

    public required string HelpUri { get; init; }

    /// <summary>Where in the zone text the finding points, when it came from zone text.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>True when the finding says that something could not be checked.</summary>
    public bool Inconclusive { get; init; }

    /// <summary>
    /// When the same finding holds for several of the diagnosis's names (the zone's SOA timers, say), it is
    /// reported once: <see cref="Name"/> is the first of them and this is how many there are. Absent for one.
    /// </summary>
    public int? NameCount { get; init; }

    /// <summary>
    /// True when the finding holds for every name of the diagnosis (a rule that could not be checked at all): it
    /// is made once, named after the first of them with <see cref="NameCount"/> set, and the verdicts count it
    /// for each name — 400k owners of an audit cut at its deadline made 400k copies per rule before.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool ConcernsEveryName { get; init; }

    /// <summary>Which of the rule's messages this is (<see cref="RuleMetadata.Messages"/>); a profile may set its severity.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string MessageId { get; init; } = RuleMessages.Default;
}

/// <summary>What to change, in words and as records a person can type into a provider's form.</summary>
public sealed record Remediation(string Summary, IReadOnlyList<RemediationRecord> Records)
{
    /// <summary>When the change will be seen everywhere at the latest, once made; filled in by the engine.</summary>
    public Visibility? VisibleBy { get; init; }
}

/// <summary>
/// The latest moment a fix is visible to every resolver: now plus the longest time a resolver may keep
/// what it was told before (the TTL of the records being changed, or the zone's negative-caching TTL
/// for a name that did not exist), with that reasoning in words.
/// </summary>
public sealed record Visibility(DateTimeOffset At, uint CacheSeconds, string Explanation);

public enum RecordAction
{
    Add,
    Remove,
    Change,
}

/// <summary>
/// One record to add, remove or change. <see cref="Host"/> is the name relative to the zone, as the
/// "Host"/"Name" field of GoDaddy, Namecheap or Cloudflare wants it (<c>@</c> for the apex);
/// <see cref="ZoneLine"/> is the same record in BIND master-file form.
/// </summary>
public sealed record RemediationRecord(RecordAction Action, string Name, string Host, string Type, uint Ttl, string Value, string ZoneLine)
{
    /// <summary>The record as the request's DNS provider's form asks for it, field by field.</summary>
    public ProviderForm? Form { get; init; }
}

/// <summary>The fields of a DNS provider's record form, in the order the form shows them.</summary>
public sealed record ProviderForm(string Provider, IReadOnlyList<FormField> Fields, string? Note = null);

public sealed record FormField(string Label, string Value);
