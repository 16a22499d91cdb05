using System.Globalization;
using System.Reflection;
using System.Text;

namespace RulesApi.Rules.Contract;

/// <summary>
/// One message a rule can report: a stable id (unique within the rule), its default severity, and its
/// text as a template with named arguments (<c>"The CAA records at {holder} …"</c>). A profile may
/// change the severity of one message without touching the rule's others (NS001 "disjoint" is an
/// error, "overlapping" a warning).
/// </summary>
public sealed record RuleMessage(string Id, Severity Severity, string Template)
{
    /// <summary>The arguments the template names, in order of first use.</summary>
    public IReadOnlyList<string> Arguments { get; } = Placeholders(Template);

    /// <summary>
    /// The text with every <c>{name}</c> replaced by the property of that name in <paramref name="arguments"/>
    /// (an anonymous object). A missing or unused argument is a bug in the rule and throws, which the
    /// engine reports as an inconclusive finding rather than a wrong message.
    /// </summary>
    public string Render(object? arguments)
    {
        var values = (arguments?.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance) ?? [])
            .ToDictionary(p => p.Name, p => Convert.ToString(p.GetValue(arguments), CultureInfo.InvariantCulture) ?? "", StringComparer.Ordinal);
        if (Arguments.FirstOrDefault(name => !values.ContainsKey(name)) is { } missing)
        {
            throw new InvalidOperationException($"message {Id}: no value for {{{missing}}}");
        }

        if (values.Keys.FirstOrDefault(name => !Arguments.Contains(name)) is { } unused)
        {
            throw new InvalidOperationException($"message {Id}: the template has no {{{unused}}}");
        }

        var text = new StringBuilder(Template.Length + 64);
        var at = 0;
        while (Template.IndexOf('{', at) is var open and >= 0)
        {
            var close = Template.IndexOf('}', open);
            text.Append(Template, at, open - at).Append(values[Template[(open + 1)..close]]);
            at = close + 1;
        }

        return text.Append(Template, at, Template.Length - at).ToString();
    }

    private static List<string> Placeholders(string template)
    {
        var names = new List<string>();
        var at = 0;
        while (template.IndexOf('{', at) is var open and >= 0)
        {
            var close = template.IndexOf('}', open);
            if (close < 0 || close == open + 1 || template.AsSpan(open + 1, close - open - 1).ContainsAnyExcept(Identifier))
            {
                throw new ArgumentException($"'{template}': a '{{' must open a placeholder such as {{name}}", nameof(template));
            }

            var name = template[(open + 1)..close];
            if (!names.Contains(name))
            {
                names.Add(name);
            }

            at = close + 1;
        }

        return names;
    }

    private static readonly System.Buffers.SearchValues<char> Identifier =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
}

/// <summary>
/// A setting of a rule that a profile may change (<c>{"rules": {"TTL001": {"thresholds": {"maxTtl": 86400}}}}</c>),
/// with its default and the range a profile may choose from.
/// </summary>
public sealed record RuleOption(string Name, double Default, double Minimum, double Maximum, string Description)
{
    public bool Allows(double value) => value >= Minimum && value <= Maximum;
}
