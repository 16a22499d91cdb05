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

    /// <summary>
    /// The message. A built-in rule's is rendered from its template when first read: a large audit makes
    /// thousands of findings that only count towards verdicts, changes and the cap, and are never shown.
    /// </summary>
    public required string Message
    {
        get => _message ??= _later!.Render();
        init
        {
            _message = value;
            _later = null;
        }
    }

    private string? _message;
    private LaterMessage? _later;

    /// <summary>The message as a template and its arguments, rendered when <see cref="Message"/> is first read.</summary>
    internal LaterMessage? Later
    {
        get => _message is null ? _later : null;
        init
        {
            _later = value;
            _message = value is null ? _message : null;
        }
    }

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

    /// <summary>
    /// This finding as the one finding for all of <paramref name="names"/> (every name of the diagnosis): named after
    /// the first of them in order, as merging one copy per name would, with their count when there are several.
    /// </summary>
    public Finding ForEveryName(IReadOnlyList<Dns.Names.DnsName> names) => this with
    {
        Name = names.Count == 0 ? Name : names.Select(n => n.Text).Min(StringComparer.OrdinalIgnoreCase)!,
        NameCount = names.Count > 1 ? names.Count : null,
        ConcernsEveryName = true,
    };

    /// <summary>Which of the rule's messages this is (<see cref="RuleMetadata.Messages"/>); a profile may set its severity.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string MessageId { get; init; } = RuleMessages.Default;

    /// <summary>Equal when everything a reader sees is equal, whether or not the message has been rendered yet.</summary>
    public bool Equals(Finding? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && RuleId == other.RuleId
            && Severity == other.Severity
            && Name == other.Name
            && Title == other.Title
            && Message == other.Message
            && Equals(Evidence, other.Evidence)
            && Equals(Remediation, other.Remediation)
            && Equals(References, other.References)
            && HelpUri == other.HelpUri
            && Location == other.Location
            && Inconclusive == other.Inconclusive
            && NameCount == other.NameCount
            && ConcernsEveryName == other.ConcernsEveryName
            && MessageId == other.MessageId);

    public override int GetHashCode() => HashCode.Combine(RuleId, Severity, Name, Message, Location, NameCount, MessageId);
}

/// <summary>
/// A message not rendered yet: its template and the arguments it was found to fit. Rendering is a pure
/// function of the two, so rendering it twice, or on another thread, gives the same text.
/// </summary>
internal sealed class LaterMessage(RuleMessage message, object? arguments)
{
    /// <summary>A builder kept per thread: a fresh one per message (its chunks as large as the text again) was garbage.</summary>
    [ThreadStatic]
    private static System.Text.StringBuilder? _spare;

    public string Render()
    {
        // Taken, not borrowed in place: an argument's ToString that renders another message gets a builder of its own.
        var text = _spare ?? new System.Text.StringBuilder(1024);
        _spare = null;
        message.Write(text, arguments);
        var rendered = text.ToString();
        text.Clear();
        // A builder grown by one huge message (a 60 KB TXT value echoed) is not kept.
        _spare = text.Capacity <= MaxKeptCapacity ? text : null;
        return rendered;
    }

    private const int MaxKeptCapacity = 16 * 1024;

    /// <summary>Appends the text to a reused builder (to compare or hash it without keeping it).</summary>
    public void Write(System.Text.StringBuilder text) => message.Write(text, arguments);
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
