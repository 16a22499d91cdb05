using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NSwag.Generation;
using RulesApi.Api.Features.Health;
using YamlDotNet.Serialization;

namespace RulesApi.Api.Contract;

/// <summary>
/// The OpenAPI 3.1 document the service serves at /openapi.json and /openapi.yaml, equal to openapi.yaml in
/// the repository (a test holds them equal, and validates every response the tests produce against it).
/// NSwag describes the endpoints from their types; this class makes that description say what is really
/// sent: enums as the service writes them (<c>at-risk</c>), nullable fields as OpenAPI 3.1 types, the
/// problem documents as they are, <c>text/dns</c> with its own schema and query parameters, every status
/// code, stable operation ids, and a security scheme only when API keys are configured (<see cref="ApiKeys"/>):
/// without keys the document has none, and is the one committed as openapi.yaml.
/// </summary>
public sealed class OpenApiContract(IOpenApiDocumentGenerator generator, ApiKeys keys)
{
    /// <summary>The name of the security scheme, when API keys are on.</summary>
    public const string SecurityScheme = "apiKey";

    /// <summary>Stable operation ids, by method and route: clients generate method names from them.</summary>
    private static readonly Dictionary<string, string> OperationIds = new(StringComparer.Ordinal)
    {
        ["post /diagnose"] = "diagnose",
        ["post /diagnose/account"] = "diagnoseAccount",
        ["get /rules"] = "listRules",
        ["get /rules/{id}"] = "getRule",
        ["get /fixtures"] = "listFixtures",
        ["get /healthz"] = "health",
        ["get /health/live"] = "liveness",
        ["get /health/ready"] = "readiness",
    };

    private readonly Lazy<Task<JsonObject>> _document = new(() => BuildAsync(generator, keys.Enabled));

    public async Task<string> JsonAsync() => (await _document.Value.ConfigureAwait(false)).ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    public async Task<string> YamlAsync() => ToYaml(await _document.Value.ConfigureAwait(false));

    private static async Task<JsonObject> BuildAsync(IOpenApiDocumentGenerator generator, bool keysOn)
    {
        var generated = await generator.GenerateAsync("v1").ConfigureAwait(false);
        generated.Servers.Clear();
        var document = JsonNode.Parse(generated.ToJson())!.AsObject();

        document.Remove("x-generator");
        document["openapi"] = "3.1.0";
        document.Remove("security");
        var components = document["components"]!.AsObject();
        components.Remove("securitySchemes");
        var schemas = components["schemas"]!.AsObject();
        schemas["ProblemDetails"] = ProblemSchema();
        schemas["ProblemField"] = ProblemFieldSchema();
        schemas.Remove("ProblemDetails_Error");
        schemas["ZoneText"] = new JsonObject
        {
            ["type"] = "string",
            ["description"] = "The zone in BIND master-file format, as providers export it (sent with Content-Type text/dns).",
        };
        RewriteSchemas(document);

        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                Describe($"{method} {path}", operation!.AsObject());
                if (keysOn)
                {
                    RequireKey(path, operation!.AsObject());
                }
            }
        }

        if (keysOn)
        {
            components["securitySchemes"] = new JsonObject
            {
                [SecurityScheme] = new JsonObject
                {
                    ["type"] = "http",
                    ["scheme"] = "bearer",
                    ["description"] = "An API key issued by the operator of this deployment, sent as 'Authorization: Bearer <key>'. The health checks need none.",
                },
            };
            document["security"] = new JsonArray(new JsonObject { [SecurityScheme] = new JsonArray() });
        }

        return document;
    }

    /// <summary>With API keys on: the health checks are open (an empty security list), every other operation may answer 401.</summary>
    private static void RequireKey(string path, JsonObject operation)
    {
        if (ApiKeys.IsOpen(path))
        {
            operation["security"] = new JsonArray();
            return;
        }

        operation["responses"]!["401"] = Problem("No API key was sent as 'Authorization: Bearer <key>', or it is not one this service accepts.", Problems.Unauthorized);
    }

    /// <summary>Operation ids, the responses every operation can give, and the text/dns form of POST /diagnose.</summary>
    private static void Describe(string route, JsonObject operation)
    {
        if (OperationIds.TryGetValue(route, out var id))
        {
            operation["operationId"] = id;
        }

        var responses = operation["responses"]!.AsObject();
        if (route == "post /diagnose")
        {
            operation["requestBody"]!["content"]!["text/dns"] = new JsonObject { ["schema"] = Ref("ZoneText") };
            operation["requestBody"]!.AsObject().Remove("x-name");
            operation["parameters"] = new JsonArray(
                Query("origin", "With text/dns: the zone's name, when the zone text has no $ORIGIN and no SOA with a full name.", "example.com"),
                Query("domains", "With text/dns: names to diagnose against the zone, comma-separated.", "www.example.com,*.example.com"),
                Query("provider", "With text/dns: the DNS provider whose forms the fixes follow (as the JSON field provider).", "godaddy"),
                Query("ca", "With text/dns: the CA that will issue (as the JSON field ca); amazon when not given.", "letsencrypt"));
            responses["400"] = Problem("The request is malformed; `errors` names each bad field by its path (domains[2], validationRecords[0].value).", Problems.Validation);
            responses["413"] = Problem("The body is larger than Api:MaxBodyBytes (16 MiB by default).", Problems.BodyTooLarge);
            responses["415"] = Problem("The body has no Content-Type, or one other than application/json and text/dns.", Problems.UnsupportedMediaType);
        }

        if (route == "get /rules/{id}")
        {
            responses["404"] = Problem("There is no rule with that id.", Problems.NotFound);
        }

        if (!HealthRoutes.Matches(route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..]))
        {
            responses["429"] = Problem("This client made too many requests (Api:Limits:RequestsPerMinute); Retry-After says when to try again.", Problems.TooManyRequests);
        }

        responses["500"] = Problem("A bug in RulesApi; the problem's traceId is the id under which it was logged.", Problems.InternalError);
        responses["504"] = Problem("The request took longer than Api:Limits:RequestTimeoutSeconds.", Problems.Timeout);
    }

    private static JsonObject Query(string name, string description, string example) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["required"] = false,
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string" },
        ["example"] = example,
    };

    private static JsonObject Ref(string schema) => new() { ["$ref"] = "#/components/schemas/" + schema };

    private static JsonObject Problem(string description, string type) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject
        {
            ["application/problem+json"] = new JsonObject
            {
                ["schema"] = Ref("ProblemDetails"),
                ["example"] = new JsonObject
                {
                    ["type"] = type,
                    ["title"] = type == Problems.Validation ? "One or more validation errors occurred." : "See the problem type's page.",
                    ["status"] = type switch
                    {
                        Problems.Validation => 400,
                        Problems.Unauthorized => 401,
                        Problems.NotFound => 404,
                        Problems.BodyTooLarge => 413,
                        Problems.UnsupportedMediaType => 415,
                        Problems.TooManyRequests => 429,
                        Problems.Timeout => 504,
                        _ => 500,
                    },
                    ["traceId"] = "4bf92f3577b34da6a3ce929d0e0e4736",
                },
            },
        },
    };

    /// <summary>RFC 9457 problem details as this service writes them: a type under /problems/, the W3C trace id, and for 400 the bad fields.</summary>
    private static JsonObject ProblemSchema() => new()
    {
        ["type"] = "object",
        ["description"] = "An RFC 9457 problem. `type` is one of the problem types documented at /problems/{name}; `traceId` is the request's W3C trace id (also in the logs).",
        ["required"] = new JsonArray("type", "title", "status"),
        ["properties"] = new JsonObject
        {
            ["type"] = new JsonObject { ["type"] = "string", ["pattern"] = "^/problems/[a-z0-9-]+$" },
            ["title"] = new JsonObject { ["type"] = "string" },
            ["status"] = new JsonObject { ["type"] = "integer" },
            ["detail"] = new JsonObject { ["type"] = "string" },
            ["instance"] = new JsonObject { ["type"] = "string" },
            ["traceId"] = new JsonObject { ["type"] = "string", ["pattern"] = "^[0-9a-f]{32}$" },
            ["errors"] = new JsonObject
            {
                ["type"] = "array",
                ["description"] = "For 400: each bad field, by its path in the request.",
                ["items"] = Ref("ProblemField"),
            },
        },
    };

    /// <summary>One bad field of a 400, a schema of its own so that generated clients give it a name (<c>ProblemField</c>).</summary>
    private static JsonObject ProblemFieldSchema() => new()
    {
        ["type"] = "object",
        ["description"] = "One bad field of the request.",
        ["required"] = new JsonArray("name", "reason"),
        ["properties"] = new JsonObject
        {
            ["name"] = new JsonObject { ["type"] = "string", ["description"] = "The field's path: domains[2], validationRecords[0].value, body." },
            ["reason"] = new JsonObject { ["type"] = "string" },
            ["code"] = new JsonObject { ["type"] = "string" },
            ["severity"] = new JsonObject { ["type"] = "string" },
        },
    };

    /// <summary>
    /// Every schema, as the service writes JSON: enum values in kebab case (the API's converter), OpenAPI
    /// 3.0's <c>nullable</c> as a 3.1 type list, and NSwag's placeholders dropped.
    /// </summary>
    private static void RewriteSchemas(JsonNode node)
    {
        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                if (item is not null)
                {
                    RewriteSchemas(item);
                }
            }

            return;
        }

        if (node is not JsonObject schema)
        {
            return;
        }

        if (schema.Remove("x-enumNames") && schema["enum"] is JsonArray values)
        {
            schema["enum"] = new JsonArray([.. values.Select(v => JsonValue.Create(JsonNamingPolicy.KebabCaseLower.ConvertName(v!.GetValue<string>())))]);
        }

        if (schema["nullable"] is JsonValue nullable && nullable.GetValue<bool>())
        {
            schema.Remove("nullable");
            if (schema["type"] is JsonValue type)
            {
                schema["type"] = new JsonArray(type.GetValue<string>(), "null");
            }
            else if (schema["oneOf"] is JsonArray choices)
            {
                choices.Add(new JsonObject { ["type"] = "null" });
            }
        }

        // NSwag writes "example: null" and empty descriptions where it has nothing to say.
        if (schema.TryGetPropertyValue("example", out var example) && example is null)
        {
            schema.Remove("example");
        }

        if (schema["description"] is JsonValue description && description.GetValue<string>().Length == 0)
        {
            schema.Remove("description");
        }

        foreach (var (_, child) in schema.ToList())
        {
            if (child is not null)
            {
                RewriteSchemas(child);
            }
        }
    }

    /// <summary>YAML with every string that could be read as something else quoted ('200', 'true').</summary>
    private static string ToYaml(JsonNode document)
    {
        var serializer = new SerializerBuilder().WithQuotingNecessaryStrings().DisableAliases().Build();
        return serializer.Serialize(ToPlain(document)).ReplaceLineEndings("\n");
    }

    private static object? ToPlain(JsonNode? node) => node switch
    {
        JsonObject obj => obj.ToDictionary(pair => pair.Key, pair => ToPlain(pair.Value)),
        JsonArray array => array.Select(ToPlain).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => value.TryGetValue<long>(out var whole) ? whole : (object)double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
            _ => null,
        },
        _ => null,
    };
}
