using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;

namespace RulesApi.Api.Tests;

/// <summary>
/// The C# client a caller gets from openapi.yaml with NSwag's generator and its default settings (Newtonsoft.Json,
/// enums with their EnumMember values, ApiException for any status the document lists as an error), compiled in
/// memory with Roslyn and loaded into a context of its own. Built once per test run: generation and compilation take seconds.
/// </summary>
public sealed class GeneratedClient
{
    public const string Namespace = "RulesApi.GeneratedClient";
    public const string ClientName = "RulesApiClient";

    private static readonly Lazy<GeneratedClient> FromRepository = new(() => Generate(File.ReadAllText(Path.Combine(ServiceFactory.RepositoryRoot, "openapi.yaml"))));

    private GeneratedClient(Assembly assembly)
    {
        Assembly = assembly;
    }

    /// <summary>The client generated from the committed openapi.yaml.</summary>
    public static GeneratedClient FromOpenApiYaml => FromRepository.Value;

    public Assembly Assembly { get; }

    /// <summary>A generated type by its name in the generated namespace.</summary>
    public Type Type(string name) => Assembly.GetType($"{Namespace}.{name}", throwOnError: true)!;

    /// <summary>An instance of the generated client, calling through the given HttpClient (its BaseAddress is the service).</summary>
    public dynamic Client(HttpClient http) => Activator.CreateInstance(Type(ClientName), http)!;

    /// <summary>An instance of a generated model type.</summary>
    public dynamic New(string name) => Activator.CreateInstance(Type(name))!;

    private static GeneratedClient Generate(string yaml)
    {
        var document = OpenApiYamlDocument.FromYamlAsync(yaml).GetAwaiter().GetResult();
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = ClientName,
            // The HttpClient's BaseAddress says where the service is: the document names no server.
            UseBaseUrl = false,
            GenerateClientInterfaces = true,
        };
        settings.CSharpGeneratorSettings.Namespace = Namespace;
        var code = new CSharpClientGenerator(document, settings).GenerateFile();
        return new GeneratedClient(Compile(code));
    }

    /// <summary>Compiles the generated code against the assemblies this test run has loaded; throws with every diagnostic when it does not compile.</summary>
    private static Assembly Compile(string code)
    {
        // The framework's assemblies and Newtonsoft.Json: what a project holding the generated file references.
        var references = TrustedPlatformAssemblies()
            .Append(typeof(Newtonsoft.Json.JsonConvert).Assembly.Location)
            .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            Namespace,
            [CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (!emitted.Success || errors.Count > 0)
        {
            throw new InvalidOperationException("The client generated from openapi.yaml does not compile:\n" + string.Join("\n", errors.Take(30)));
        }

        image.Position = 0;
        return new AssemblyLoadContext("generated-client").LoadFromStream(image);
    }

    /// <summary>The framework's own assemblies (System.Runtime, System.Net.Http, …), as the runtime lists them.</summary>
    private static IEnumerable<string> TrustedPlatformAssemblies() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Where(path => path.Length > 0);
}
