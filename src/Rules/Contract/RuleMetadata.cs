namespace RulesApi.Rules.Contract;

/// <summary>
/// What the catalog says about a rule: its stable ID, family, default severity and sources, the messages
/// it can report (each with a severity of its own) and the options a profile may set.
/// </summary>
public sealed record RuleMetadata(
    string Id,
    string Title,
    string Family,
    Severity DefaultSeverity,
    string Summary,
    IReadOnlyList<string> References)
{
    /// <summary>Where the rule's page is served; derived from the ID in one place, once (every finding carries it).</summary>
    public string HelpUri { get; } = "/rules/" + Id;

    /// <summary>The messages the rule reports. A rule that declares none reports one free-text message, <see cref="RuleMessages.Default"/>.</summary>
    public IReadOnlyList<RuleMessage> Messages { get; init; } = [];

    public IReadOnlyList<RuleOption> Options { get; init; } = [];

    public RuleMessage? Message(string id) => Messages.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.OrdinalIgnoreCase));

    public RuleOption? Option(string name) => Options.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));
}

public static class RuleMessages
{
    /// <summary>The message id of a finding from a rule that declares no messages of its own (a plugin, say).</summary>
    public const string Default = "default";
}
