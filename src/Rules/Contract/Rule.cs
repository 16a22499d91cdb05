using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Contract;

/// <summary>
/// A convenient base for rules: metadata from a few properties, and <see cref="Report"/> to build a
/// finding that carries the rule's ID, title, default severity, references and help link.
/// </summary>
public abstract class Rule : IRule
{
    private RuleMetadata? _metadata;

    /// <summary>
    /// True for the rules built into RulesApi: the engine calls their methods through this class (a virtual call) rather
    /// than through <see cref="IRule"/>. A plugin's rule is always called through the interface, which it may implement
    /// again on its own.
    /// </summary>
    internal bool IsBuiltIn { get; }

    protected Rule()
    {
        IsBuiltIn = GetType().Assembly == typeof(Rule).Assembly;
    }

    public RuleMetadata Metadata => _metadata ??= new RuleMetadata(Id, Title, Family, DefaultSeverity, Summary, References)
    {
        Messages = Messages,
        Options = Options,
    };

    protected abstract string Id { get; }

    protected abstract string Title { get; }

    protected abstract string Family { get; }

    protected abstract Severity DefaultSeverity { get; }

    protected abstract string Summary { get; }

    protected abstract IReadOnlyList<string> References { get; }

    /// <summary>The messages the rule reports, each with its id, severity and template (see <see cref="RuleMessage"/>).</summary>
    protected virtual IReadOnlyList<RuleMessage> Messages => [];

    /// <summary>The settings a profile may change, with their defaults and ranges.</summary>
    protected virtual IReadOnlyList<RuleOption> Options => [];

    public virtual bool AppliesTo(DiagnosisContext context) => true;

    public abstract ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken);

    /// <summary>
    /// A finding carrying one of the rule's declared messages, its text rendered from the template's named
    /// arguments when it is first read (most findings of a large audit never are: the report shows the first
    /// hundred of each rule). Whether the arguments fit the template is checked now, so that a rule's mistake is
    /// its own failure, reported as such.
    /// </summary>
    protected Finding Report(DnsName name, RuleMessage message, object? arguments, IReadOnlyList<string>? evidence = null, Remediation? remediation = null,
        SourceLocation? location = null, bool inconclusive = false)
    {
        message.CheckFits(arguments);
        return Report(name, string.Empty, evidence, remediation, location, inconclusive) with
        {
            MessageId = message.Id,
            Severity = message.Severity,
            Later = new LaterMessage(message, arguments),
        };
    }

    /// <summary>The value of an option: the profile's, or the option's default.</summary>
    protected double Option(DiagnosisContext context, RuleOption option) => context.Profile.OptionValue(Id, option);

    /// <summary>A finding with free text, for rules that declare no messages of their own (plugins).</summary>
    protected Finding Report(DnsName name, string message, IReadOnlyList<string>? evidence = null, Remediation? remediation = null,
        SourceLocation? location = null, bool inconclusive = false, Severity? severity = null) => new()
        {
            RuleId = Id,
            Severity = severity ?? DefaultSeverity,
            Name = name.Text,
            Title = Title,
            Message = message,
            Evidence = evidence ?? [],
            Remediation = remediation,
            References = References,
            HelpUri = Metadata.HelpUri,
            Location = location,
            Inconclusive = inconclusive,
        };

    protected static IReadOnlyList<Finding> None => [];

    /// <summary>
    /// The same finding for each of <paramref name="names"/> (distinct names of the diagnosis), made once: when they are every name of the diagnosis
    /// (an audit's SOA timers concern each of its 400k owners), one finding that says so
    /// (<see cref="Finding.ConcernsEveryName"/>, named after the first of them with their count, as the report merges
    /// repeated findings anyway); otherwise a copy per name that shares its text.
    /// </summary>
    protected static IEnumerable<Finding> ForEach(Finding finding, IReadOnlyList<DnsName> names, DiagnosisContext context)
    {
        var every = context.Subject.Names;
        if (names.Count > 1 && names.Count == every.Count)
        {
            return [finding.ForEveryName(names)];
        }

        return names.Select(name => finding with { Name = name.Text });
    }

    /// <summary>Records as a person sees them in the zone, each with its line when it came from zone text.</summary>
    protected static IReadOnlyList<string> Evidence(IEnumerable<ResourceRecord> records) =>
        records.Select(r => r.ToZoneLineWithSource()).ToList();

    /// <summary>A name as prose shows it: without the final dot, so sentences do not end in "example.com..".</summary>
    protected static string Show(DnsName name) => name.IsRoot ? "." : name.Text[..^1];
}
