using FastEndpoints;
using FastEndpoints.Swagger;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using RulesApi.Acm;
using RulesApi.Api.Contract;
using RulesApi.Api.Features.Health;
using RulesApi.Api.Features.Page;
using RulesApi.Dns.Live;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Api;

/// <summary>Settings read from standard ASP.NET configuration (appsettings, environment variables such as Rules__Profile).</summary>
public sealed class ServiceOptions
{
    /// <summary>Bodies larger than this get 413. Default 16 MiB.</summary>
    public long MaxBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long one offline diagnosis (zone text, fixture) may take before it returns what it has.</summary>
    public double DeadlineSeconds { get; set; } = 10;

    /// <summary>
    /// The most findings of one rule a report shows (<c>Api:MaxFindingsPerRule</c>); the rest are counted in the
    /// report's <c>truncated</c>. Keeps the answer to a zone with 400k broken CAA sets a few hundred KB.
    /// </summary>
    public int MaxFindingsPerRule { get; set; } = FindingLimits.DefaultPerRule;

    /// <summary>
    /// The most names a report lists with their verdicts (<c>Api:MaxNamesListed</c>): those with the worst verdicts, in the diagnosis's order; the rest are
    /// counted by verdict in the report's <c>namesTruncated</c>. Matters for zone audits, which check every CAA owner.
    /// </summary>
    public int MaxNamesListed { get; set; } = FindingLimits.DefaultNames;

    /// <summary>The caps above, as the engine takes them.</summary>
    public FindingLimits ReportLimits() => new(MaxFindingsPerRule, MaxNamesListed);

    /// <summary>Folders whose *.dll rule assemblies join the catalog.</summary>
    public List<string> PluginFolders { get; set; } = [];

    /// <summary>A profile (JSON) enabling/disabling rules and overriding severities and thresholds.</summary>
    public string? Profile { get; set; }
}

public static class ServiceSetup
{
    /// <summary>The hosting's own request log category, off unless configured (<see cref="AddRulesApi"/>).</summary>
    public const string HostingLogCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public static void AddRulesApi(this WebApplicationBuilder builder)
    {
        // The service logs one line per request itself (RequestLog). ASP.NET Core's own lines per request say less: they
        // are kept to warnings and errors (as the framework's templates keep them), and the hosting's two are off, since
        // their logger alone, at any level, made ASP.NET Core start an Activity for every request, traced or not: about
        // a tenth of the cost of a small diagnosis. Defaults only, as the first and weakest source: any Logging:LogLevel
        // setting of these categories brings them back. In code rather than in an appsettings.json, which is read from
        // the working directory and so missed by `dotnet path/RulesApi.Api.dll`.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = [new("Logging:LogLevel:Microsoft.AspNetCore", "Warning"), new($"Logging:LogLevel:{HostingLogCategory}", "None")],
        });
        // Settings go through the Options pattern and are checked at start-up: a configuration mistake
        // stops the service with its reason, rather than failing each request.
        builder.Services.AddOptions<ServiceOptions>()
            .Bind(builder.Configuration.GetSection("Api"))
            .Bind(builder.Configuration.GetSection("Rules"))
            .Validate(options => options.MaxBodyBytes > 0 && options.DeadlineSeconds > 0 && options.MaxFindingsPerRule > 0 && options.MaxNamesListed > 0,
                "Api:MaxBodyBytes, Api:DeadlineSeconds, Api:MaxFindingsPerRule and Api:MaxNamesListed must be positive")
            .ValidateOnStart();
        builder.Services.AddOptions<LiveDnsOptions>()
            .Bind(builder.Configuration.GetSection("Dns"))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<LiveDnsOptions>, LiveDnsOptionsValidator>();
        // Calls to ACM spend the operator's credentials: off unless Acm:Enabled (AcmOptions).
        builder.Services.AddOptions<AcmOptions>()
            .Bind(builder.Configuration.GetSection("Acm"))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AcmOptions>, AcmOptionsValidator>();
        builder.Services.AddSingleton<IAcmCredentialSource, SdkCredentialChain>();
        builder.Services.AddSingleton(services => new AcmClient(
            // One long-lived client whose connections are renewed, so DNS changes of the endpoint are seen.
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(10) }),
            services.GetRequiredService<IOptions<AcmOptions>>().Value,
            services.GetRequiredService<IAcmCredentialSource>(),
            // Signatures carry the real time (AWS refuses a request more than five minutes off), whatever clock the diagnoses use.
            TimeProvider.System,
            services.GetRequiredService<ILogger<AcmClient>>()));
        builder.Services.AddSingleton(services => new CertificateArnRequests(
            services.GetRequiredService<AcmClient>(), services.GetRequiredService<IOptions<AcmOptions>>().Value));
        builder.Services.AddSingleton(services => new AccountScan(
            services.GetRequiredService<AcmClient>(), services.GetRequiredService<IOptions<AcmOptions>>().Value, services.GetRequiredService<Diagnoser>()));
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<ServiceOptions>>((kestrel, options) => kestrel.Limits.MaxRequestBodySize = options.Value.MaxBodyBytes);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => RuleCatalog.Load(services.GetRequiredService<IOptions<ServiceOptions>>().Value.PluginFolders));
        builder.Services.AddSingleton(services => services.GetRequiredService<IOptions<ServiceOptions>>().Value.Profile is { Length: > 0 } path
            ? RuleProfile.Load(path, services.GetRequiredService<RuleCatalog>())
            : RuleProfile.Default);
        builder.Services.AddSingleton(services => new RuleEngine(services.GetRequiredService<RuleCatalog>(), services.GetRequiredService<TimeProvider>())
        {
            // A rule that throws is an inconclusive finding for the user and an error with its exception for the operator.
            RuleFailed = (ruleId, error) => RuleFailureLog.RuleThrew(services.GetRequiredService<ILogger<RuleEngine>>(), error, ruleId),
            Limits = services.GetRequiredService<IOptions<ServiceOptions>>().Value.ReportLimits(),
        });
        builder.Services.AddSingleton(services =>
        {
            var live = services.GetRequiredService<IOptions<LiveDnsOptions>>().Value;
            var offline = TimeSpan.FromSeconds(services.GetRequiredService<IOptions<ServiceOptions>>().Value.DeadlineSeconds);
            return new Diagnoser(services.GetRequiredService<RuleEngine>(), services.GetRequiredService<RuleProfile>(), live,
                new DiagnosisDeadlines(offline, TimeSpan.FromSeconds(live.DeadlineSeconds)));
        });
        builder.Services.AddSingleton<RuleDocs>();
        // Readiness turns 503 once the host is stopping (Features/Health/ReadyEndpoint.cs).
        builder.Services.AddSingleton(services => new ShutdownSignal(services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping));
        // Optional API keys (Api:Keys, hashed; ApiKeys.cs): off unless keys are configured.
        builder.Services.AddOptions<ApiKeyOptions>()
            .Bind(builder.Configuration.GetSection("Api"))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        builder.Services.AddSingleton<ApiKeys>();
        // Per-client (or per-key) rate limits, the diagnosis gate and request timeouts (ClientLimits.cs).
        builder.AddClientLimits();
        // Traces and metrics: OTLP when an endpoint is configured, /metrics when Api:Metrics:Enabled (ApiTelemetry.cs).
        builder.AddTelemetry();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // One type base and one trace id format for every problem, whoever writes it.
            var problem = context.ProblemDetails;
            if (problem.Type is null || !problem.Type.StartsWith(Problems.Base, StringComparison.Ordinal))
            {
                problem.Type = Problems.ForStatus(problem.Status ?? context.HttpContext.Response.StatusCode);
            }

            problem.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
        });
        builder.Services.AddSingleton<OpenApiContract>();
        builder.Services.AddSingleton<ProblemDocs>();
        builder.Services.AddExceptionHandler<UnhandledExceptionHandler>();
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
        // Built now, not on the first request: a profile naming an unknown rule, a plugin folder that is
        // missing or a bad Dns setting stops start-up with its reason.
        app.Services.GetRequiredService<Diagnoser>();
        // The exception handler is outermost; the limits middleware inside it answers 413 before any 500 is made.
        // A 500 says only that RulesApi failed and under which trace id it logged why (UnhandledExceptionHandler).
        app.UseMiddleware<RequestIdsMiddleware>();
        // One log line per request, outermost so it sees the final status (RequestLog.cs).
        app.UseMiddleware<RequestLog>();
        app.UseExceptionHandler();
        app.UseMiddleware<StatusCodeProblemsMiddleware>();
        // Refused before anything else is read: 429 per client, then request timeouts (ClientLimits.cs), then 401
        // without a valid API key when keys are configured — after the rate limit, so made-up keys cannot flood.
        app.UseClientLimits();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseMiddleware<RequestLimitsMiddleware>();
        app.UseFastEndpoints(config =>
        {
            config.Errors.UseProblemDetails();
            // FastEndpoints writes the 400 for bad fields itself: in this service's problem shape and type.
            config.Errors.ResponseBuilder = (failures, context, status) => FieldProblem.From(failures, context, status);
            ReportJson.Apply(config.Serializer.Options);
        });
        // The contract, as served: OpenAPI 3.1, equal to openapi.yaml in the repository.
        var contract = app.Services.GetRequiredService<OpenApiContract>();
        app.MapGet("/openapi.json", async () => Results.Text(await contract.JsonAsync(), "application/json")).ExcludeFromDescription();
        app.MapGet("/openapi.yaml", async () => Results.Text(await contract.YamlAsync(), "application/yaml")).ExcludeFromDescription();
        app.MapGet("/problems/{name}", (string name, ProblemDocs docs) => docs.For(name) is { } page
            ? Results.Text(page, "text/markdown; charset=utf-8")
            : Results.Problem(statusCode: 404, title: "No such problem type", detail: $"There is no problem type '{name}'; the types are {string.Join(", ", Problems.Names)}.", type: Problems.NotFound))
            .ExcludeFromDescription();
        app.MapSupportPage();
        app.UseTelemetry();
    }
}

/// <summary>The <c>Acm</c> section's mistakes, named as configuration names them (<c>Acm:ServiceUrl</c>).</summary>
public sealed class AcmOptionsValidator : IValidateOptions<AcmOptions>
{
    public ValidateOptionsResult Validate(string? name, AcmOptions options) =>
        options.Problems() is { Count: > 0 } problems
            ? ValidateOptionsResult.Fail(problems.Select(p => $"Acm:{p.Setting}: {p.Message}"))
            : ValidateOptionsResult.Success;
}

/// <summary>The <c>Dns</c> section's mistakes, named as configuration names them (<c>Dns:RootServers</c>).</summary>
public sealed class LiveDnsOptionsValidator : IValidateOptions<LiveDnsOptions>
{
    public ValidateOptionsResult Validate(string? name, LiveDnsOptions options) =>
        options.Problems() is { Count: > 0 } problems
            ? ValidateOptionsResult.Fail(problems.Select(p => $"Dns:{p.Setting}: {p.Message}"))
            : ValidateOptionsResult.Success;
}
