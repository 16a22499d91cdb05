using System.Text.Json;
using System.Text.Json.Serialization;
using FastEndpoints;
using FastEndpoints.Swagger;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Runtime;

namespace RulesApi.Api;

/// <summary>Settings read from standard ASP.NET configuration (appsettings, environment variables such as Rules__Profile).</summary>
public sealed class ServiceOptions
{
    /// <summary>Bodies larger than this get 413. Default 16 MiB.</summary>
    public long MaxBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long one diagnosis may take before it returns what it has.</summary>
    public double DeadlineSeconds { get; set; } = 10;

    /// <summary>Folders whose *.dll rule assemblies join the catalog.</summary>
    public List<string> PluginFolders { get; set; } = [];

    /// <summary>A profile (JSON) enabling/disabling rules and overriding severities and thresholds.</summary>
    public string? Profile { get; set; }
}

public static class ServiceSetup
{
    public static void AddRulesApi(this WebApplicationBuilder builder)
    {
        var options = new ServiceOptions();
        builder.Configuration.GetSection("Api").Bind(options);
        builder.Configuration.GetSection("Rules").Bind(options);

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes);
        var catalog = RuleCatalog.Load(options.PluginFolders);
        var profile = options.Profile is { Length: > 0 } path ? RuleProfile.Load(path) : RuleProfile.Default;
        builder.Services.AddSingleton(options);
        var dns = new RulesApi.Dns.Live.LiveDnsOptions();
        builder.Configuration.GetSection("Dns").Bind(dns);
        // A configuration mistake stops start-up with its reason, rather than failing each live request.
        if (dns.RootServers.FirstOrDefault(text => !System.Net.IPAddress.TryParse(text, out _)) is { } bad)
        {
            throw new InvalidOperationException($"Dns:RootServers: '{bad}' is not an IP address");
        }

        if (dns.Resolvers.FirstOrDefault(text => !RulesApi.Dns.Live.LiveDnsOptions.TryParseEndpoint(text, dns.QueryPort, out _)) is { } badResolver)
        {
            throw new InvalidOperationException($"Dns:Resolvers: '{badResolver}' is not an IP address or ip:port");
        }

        try
        {
            dns.TrustAnchorRecords();
        }
        catch (FormatException anchor)
        {
            throw new InvalidOperationException(anchor.Message, anchor);
        }

        if (dns.QueryPort is < 1 or > 65535 || dns.QueryTimeoutMs < 1 || dns.DeadlineSeconds <= 0)
        {
            throw new InvalidOperationException("Dns:QueryPort must be 1–65535, Dns:QueryTimeoutMs and Dns:DeadlineSeconds positive");
        }

        builder.Services.AddSingleton(dns);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton(profile);
        builder.Services.AddSingleton<RuleEngine>();
        builder.Services.AddSingleton<ZoneDiagnosis>();
        builder.Services.AddSingleton<RulesApi.Fixtures.FixtureDiagnosis>();
        builder.Services.AddSingleton<RuleDocs>();
        builder.Services.AddProblemDetails();
        builder.Services.AddFastEndpoints();
        builder.Services.SwaggerDocument(document =>
        {
            document.DocumentSettings = settings =>
            {
                settings.Title = "RulesApi";
                settings.Version = "v1";
                settings.Description = "Why AWS Certificate Manager will not issue a certificate, or leaves it pending validation, and which DNS records to add, fix or remove.";
            };
            document.ShortSchemaNames = true;
            document.RemoveEmptyRequestSchema = true;
        });
    }

    public static void UseRulesApi(this WebApplication app)
    {
        // The exception handler is outermost; the limits middleware inside it answers 413 before any 500 is made.
        app.UseDefaultExceptionHandler(logStructuredException: true, useProblemDetails: true);
        app.UseStatusCodePages();
        app.UseMiddleware<RequestLimitsMiddleware>();
        app.UseFastEndpoints(config =>
        {
            config.Errors.UseProblemDetails();
            config.Serializer.Options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
            config.Serializer.Options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        app.UseSwaggerGen();
    }
}
