using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace RulesApi.Api.Tests;

/// <summary>
/// Checks a response against openapi.yaml's contract: the operation (method and path template), the
/// status code's response, and its JSON schema (OpenAPI 3.1 schemas are JSON Schema 2020-12).
/// </summary>
public sealed class ContractValidator
{
    private readonly JsonObject _document;
    private readonly List<(Regex Path, string Template)> _paths;

    public ContractValidator(string openApiJson)
    {
        _document = JsonNode.Parse(openApiJson)!.AsObject();
        _paths = _document["paths"]!.AsObject()
            .Select(pair => (new Regex("^" + Regex.Replace(Regex.Escape(pair.Key), @"\\\{[^}]+}", "[^/]+") + "$"), pair.Key))
            .ToList();
    }

    /// <summary>Null when the response is what the contract says; otherwise what is wrong.</summary>
    public string? Check(string method, string path, int status, string? contentType, string body)
    {
        if (path.EndsWith(".html", StringComparison.Ordinal))
        {
            return null; // the support page's rule pages (/rules/{id}.html): HTML outside the contract, not GET /rules/{id}
        }

        var template = _paths.FirstOrDefault(p => p.Path.IsMatch(path)).Template;
        if (template is null)
        {
            return null; // not an API operation (the contract itself, the problem pages, the support page)
        }

        var operation = _document["paths"]![template]![method.ToLowerInvariant()];
        if (operation is null)
        {
            return status == StatusCodes.Status405MethodNotAllowed ? null : $"{method} {template} is not in the contract";
        }

        var response = operation["responses"]![status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (response is null)
        {
            return $"{method} {path} answered {status}, which the contract does not list";
        }

        var mediaType = contentType?.Split(';')[0].Trim();
        if (response["content"] is not JsonObject content)
        {
            return body.Length == 0 ? null : $"{method} {path} {status} has a body the contract does not describe";
        }

        if (mediaType is null || content[mediaType] is not { } media)
        {
            return $"{method} {path} {status} answered {mediaType ?? "no content type"}; the contract says {string.Join(", ", content.Select(c => c.Key))}";
        }

        return Validate(media["schema"]!, body) is { } why ? $"{method} {path} {status}: {why}" : null;
    }

    /// <summary>Validates JSON against a schema of the contract, with the contract's components in scope.</summary>
    public string? Validate(JsonNode schemaOrRef, string body)
    {
        var defs = JsonNode.Parse(_document["components"]!["schemas"]!.ToJsonString()
            .Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal))!;
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = defs,
        };
        foreach (var (key, value) in JsonNode.Parse(schemaOrRef.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal))!.AsObject())
        {
            root[key] = value?.DeepClone();
        }

        var schema = JsonSchema.FromText(root.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        using var json = JsonDocument.Parse(body);
        var result = schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return null;
        }

        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}").Take(5);
        return string.Join(" | ", errors);
    }
}

/// <summary>
/// Middleware the test host puts first: every response the tests produce is checked against the contract,
/// and one that does not match is replaced by a 555 naming what is wrong, which fails the test that asked.
/// </summary>
public sealed class ContractCheckingStartupFilter(Func<ContractValidator> validator, ConcurrentQueue<string> violations) : IStartupFilter
{
    /// <summary>What a response that broke the contract is turned into, so that no test can pass over it.</summary>
    public const int ViolationStatus = 555;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, proceed) =>
        {
            var original = context.Response.Body;
            using var captured = new MemoryStream();
            context.Response.Body = captured;
            try
            {
                await proceed(context);
            }
            finally
            {
                context.Response.Body = original;
            }

            var body = captured.ToArray();
            var why = validator().Check(context.Request.Method, context.Request.Path, context.Response.StatusCode, context.Response.ContentType, System.Text.Encoding.UTF8.GetString(body));
            if (why is not null && !context.Response.HasStarted)
            {
                // The test that made the request sees the violation instead of the response: it fails where it stands.
                violations.Enqueue(why);
                context.Response.Clear();
                context.Response.StatusCode = ViolationStatus;
                context.Response.ContentType = "text/plain";
                body = System.Text.Encoding.UTF8.GetBytes("the response does not match openapi.yaml: " + why);
            }

            await original.WriteAsync(body);
        });
        next(app);
    };
}
