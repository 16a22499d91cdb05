using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
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
    /// <summary>Equal when id, severity and template are: what is kept to render faster is not part of a message.</summary>
    public bool Equals(RuleMessage? other) =>
        other is not null && Id == other.Id && Severity == other.Severity && Template == other.Template;

    public override int GetHashCode() => HashCode.Combine(Id, Severity, Template);

    /// <summary>The arguments the template names, in order of first use.</summary>
    public IReadOnlyList<string> Arguments { get; } = Placeholders(Template);

    /// <summary>Where each placeholder is and the name it holds, found once: rendering makes no text but the message's own.</summary>
    private readonly (int Open, int Close, string Name)[] _slots = Slots(Template);

    /// <summary>
    /// The text with every <c>{name}</c> replaced by the property of that name in <paramref name="arguments"/>
    /// (an anonymous object). A missing or unused argument is a bug in the rule and throws, which the
    /// engine reports as an inconclusive finding rather than a wrong message.
    /// </summary>
    public string Render(object? arguments)
    {
        var text = new StringBuilder(Template.Length + 64);
        Write(text, arguments);
        return text.ToString();
    }

    /// <summary>
    /// Throws when the template and the arguments do not fit (see <see cref="Render"/>): what a finding whose
    /// text is rendered later checks at once, so the rule's bug still shows as the rule's failure.
    /// </summary>
    public void CheckFits(object? arguments) => FitFor(arguments?.GetType());

    /// <summary>Appends the text to <paramref name="text"/>; the arguments were found to fit (<see cref="CheckFits"/>).</summary>
    public void Write(StringBuilder text, object? arguments)
    {
        var readers = FitFor(arguments?.GetType()).Readers;
        var at = 0;
        for (var slot = 0; slot < _slots.Length; slot++)
        {
            var (open, close, _) = _slots[slot];
            var value = readers[slot](arguments!);
            text.Append(Template, at, open - at).Append(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
            at = close + 1;
        }

        text.Append(Template, at, Template.Length - at);
    }

    /// <summary>
    /// The argument type this message was last found to fit, with a reader for each of its slots in order. A rule passes
    /// one anonymous type per message, so one kept per message is enough; another type is checked and replaces it. Kept
    /// on the message rather than in a table keyed by the template, whose hash read the whole template at every finding.
    /// </summary>
    private sealed record Fit(Type? Arguments, Func<object, object?>[] Readers);

    private Fit? _fit;

    /// <summary>
    /// Whether the template and the arguments fit is a property of the rule's code, not of the values: checked once per
    /// argument type, and the bug throws (the rule's failure) each time that type comes.
    /// </summary>
    private Fit FitFor(Type? arguments)
    {
        if (Volatile.Read(ref _fit) is { } known && known.Arguments == arguments)
        {
            return known;
        }

        var readers = arguments is null ? ArgumentReaders.None : ArgumentReaders.For(arguments);
        if (Arguments.FirstOrDefault(name => !readers.ContainsKey(name)) is { } missing)
        {
            throw new InvalidOperationException($"message {Id}: no value for {{{missing}}}");
        }

        if (readers.Keys.FirstOrDefault(name => !Arguments.Contains(name)) is { } unused)
        {
            throw new InvalidOperationException($"message {Id}: the template has no {{{unused}}}");
        }

        var fit = new Fit(arguments, Array.ConvertAll(_slots, slot => readers[slot.Name]));
        Volatile.Write(ref _fit, fit);
        return fit;
    }

    private static (int Open, int Close, string Name)[] Slots(string template)
    {
        var slots = new List<(int, int, string)>();
        var at = 0;
        while (template.IndexOf('{', at) is var open and >= 0)
        {
            var close = template.IndexOf('}', open);
            slots.Add((open, close, template[(open + 1)..close]));
            at = close + 1;
        }

        return [.. slots];
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

/// <summary>
/// Reads the properties of a message's argument object (an anonymous type) through delegates bound to their
/// getters once per type: reflection's GetProperties and GetValue on every finding was a tenth of a zone
/// diagnosis's allocations. The delegates are bound, not compiled from expression trees: System.Linq.Expressions
/// and its compiler were 2 MiB of every command-line run's memory, for a cast and a call.
/// </summary>
internal static class ArgumentReaders
{
    public static readonly IReadOnlyDictionary<string, Func<object, object?>> None = new Dictionary<string, Func<object, object?>>();

    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Func<object, object?>>> ByType = new();

    private static readonly MethodInfo BindGetter = typeof(ArgumentReaders).GetMethod(nameof(Bind), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static IReadOnlyDictionary<string, Func<object, object?>> For(Type type) => ByType.GetOrAdd(type, Build);

    // The command line compiled ahead of time keeps every type of this assembly whole (its project roots it), the
    // rules' anonymous argument types with their properties included; the service runs on the JIT.
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "The rules' argument types are kept whole: see above.")]
    private static IReadOnlyDictionary<string, Func<object, object?>> Build(Type type)
    {
        var readers = new Dictionary<string, Func<object, object?>>(StringComparer.Ordinal);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            // A getter of a value type cannot be bound without a ref to the value: such arguments (none of the
            // built-in rules' anonymous types) are read through reflection, as is every argument where code cannot
            // be made at run time (the command line compiled ahead of time).
            if (RuntimeFeature.IsDynamicCodeSupported && !type.IsValueType && property.GetMethod is { } getter)
            {
                readers[property.Name] = Bound(type, property.PropertyType, getter);
            }
            else
            {
                readers[property.Name] = property.GetValue;
            }
        }

        return readers;
    }

    [RequiresDynamicCode("Binds a generic method over the argument's types.")]
    [UnconditionalSuppressMessage("Trimming", "IL2060", Justification = "Bind has no requirements on its type arguments.")]
    private static Func<object, object?> Bound(Type type, Type value, MethodInfo getter) =>
        (Func<object, object?>)BindGetter.MakeGenericMethod(type, value).Invoke(null, [getter])!;

    private static Func<object, object?> Bind<TArguments, TValue>(MethodInfo getter)
    {
        var read = getter.CreateDelegate<Func<TArguments, TValue>>();
        return arguments => read((TArguments)arguments);
    }
}
