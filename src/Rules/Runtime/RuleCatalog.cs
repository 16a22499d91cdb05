using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.Loader;
using RulesApi.Rules.Contract;

namespace RulesApi.Rules.Runtime;

/// <summary>
/// The rules this service knows: the built-in ones plus those found in rule assemblies. IDs are unique
/// and never reused; a second rule with an ID already taken stops start-up rather than hiding one.
/// </summary>
public sealed class RuleCatalog
{
    private readonly Dictionary<string, IRule> _byId;

    public RuleCatalog(IEnumerable<IRule> rules)
    {
        _byId = new Dictionary<string, IRule>(StringComparer.OrdinalIgnoreCase);
        foreach (var rule in rules)
        {
            if (!_byId.TryAdd(rule.Metadata.Id, rule))
            {
                throw new InvalidOperationException(
                    $"two rules claim the ID {rule.Metadata.Id}: {_byId[rule.Metadata.Id].GetType().FullName} and {rule.GetType().FullName}");
            }
        }

        Rules = _byId.Values.OrderBy(rule => rule.Metadata.Id, StringComparer.Ordinal).ToList();
        EveryRuleBuiltIn = Rules.All(rule => rule.GetType().Assembly == typeof(RuleCatalog).Assembly);
    }

    public IReadOnlyList<IRule> Rules { get; }

    /// <summary>
    /// True when every rule is compiled into this assembly: code known to look at its cancellation token as it goes.
    /// A rule from a plugin folder (or a test's own) is unknown code.
    /// </summary>
    public bool EveryRuleBuiltIn { get; }

    public IRule? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The rules compiled into this assembly.</summary>
    /// <remarks>
    /// Found by reflection, so that a new rule is a new class and nothing else. The command line compiled ahead of time
    /// keeps this assembly whole (its project roots it) for this; a test checks that it finds all 35 there.
    /// </remarks>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "This assembly is kept whole wherever it is trimmed: see remarks.")]
    public static IReadOnlyList<IRule> BuiltInRules() => RulesIn(typeof(RuleCatalog).Assembly);

    /// <summary>The built-in rules plus every rule in the assemblies (*.dll) of the given folders.</summary>
    [RequiresUnreferencedCode("Loads rule assemblies from folders: only for a program that is not trimmed (the service).")]
    public static RuleCatalog Load(IEnumerable<string> pluginFolders) =>
        new(BuiltInRules().Concat(pluginFolders.SelectMany(RulePluginLoader.LoadFolder)));

    [RequiresUnreferencedCode("Finds rule classes by reflection: a trimmed program must keep them whole.")]
    internal static IReadOnlyList<IRule> RulesIn(Assembly assembly) =>
        assembly.GetTypes()
            .Where(type => typeof(IRule).IsAssignableFrom(type) && type is { IsAbstract: false, IsInterface: false }
                && type.GetConstructor(Type.EmptyTypes) is not null)
            .Select(type => (IRule)Activator.CreateInstance(type)!)
            .ToList();
}

/// <summary>
/// Loads rule assemblies into their own <see cref="AssemblyLoadContext"/> each, sharing this
/// project's assemblies (the rule contract) with the host so that their rules are <see cref="IRule"/>s here.
/// </summary>
public static class RulePluginLoader
{
    [RequiresUnreferencedCode("Loads rule assemblies from folders: only for a program that is not trimmed (the service).")]
    public static IReadOnlyList<IRule> LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"rule folder '{folder}' does not exist");
        }

        return Directory.GetFiles(folder, "*.dll")
            .Order(StringComparer.Ordinal)
            .Where(path => !IsSharedAssembly(Path.GetFileNameWithoutExtension(path)))
            .SelectMany(path => RuleCatalog.RulesIn(new PluginLoadContext(path).LoadFromAssemblyPath(Path.GetFullPath(path))))
            .ToList();
    }

    private static bool IsSharedAssembly(string name) =>
        name.StartsWith("RulesApi.Rules", StringComparison.Ordinal) && !name.Contains("Plugin", StringComparison.Ordinal)
        || name is "RulesApi.Dns";

    private sealed class PluginLoadContext : AssemblyLoadContext
    {
        private readonly AssemblyDependencyResolver _resolver;

        public PluginLoadContext(string path)
            : base(Path.GetFileNameWithoutExtension(path), isCollectible: false)
        {
            _resolver = new AssemblyDependencyResolver(Path.GetFullPath(path));
        }

        [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only LoadFolder makes this context, and it requires unreferenced code.")]
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // The contract assemblies must be the host's, or IRule here and IRule there are different types.
            if (assemblyName.Name is "RulesApi.Rules" or "RulesApi.Dns")
            {
                return null;
            }

            var path = _resolver.ResolveAssemblyToPath(assemblyName);
            return path is null ? null : LoadFromAssemblyPath(path);
        }
    }
}
