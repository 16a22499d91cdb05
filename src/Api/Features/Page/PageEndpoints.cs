using System.Reflection;
using Markdig;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Runtime;

namespace RulesApi.Api.Features.Page;

/// <summary>
/// The support page at <c>/</c>: a thin mapper from an HTML form (or a link's query string) onto the
/// same <see cref="DiagnosisRequestParser"/> and <see cref="Diagnoser"/> as <c>POST /diagnose</c>, and
/// readable HTML renderings of the rule pages at <c>/rules/{id}.html</c>. Mapped outside FastEndpoints
/// and excluded from the OpenAPI document: the API's contract does not change.
/// </summary>
public static class PageEndpoints
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();

    public static void MapSupportPage(this WebApplication app)
    {
        app.MapGet("/", GetAsync).ExcludeFromDescription();
        app.MapPost("/", PostAsync).ExcludeFromDescription().DisableAntiforgery();
        app.MapGet("/page.css", () => Asset("page.css", "text/css; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/page.js", () => Asset("page.js", "text/javascript; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/rules/{id}.html", RulePage).ExcludeFromDescription();
    }

    // A link reproduces a diagnosis: with names or a certificate in it, the page diagnoses at once —
    // unless the diagnosis read pasted zone text, which links never carry; then it asks for the zone.
    private static async Task<IResult> GetAsync(HttpContext context, Diagnoser diagnoser, DiagnosisGate gate, IOptions<ServiceOptions> options)
    {
        var input = PageInput.FromQuery(context.Request.Query);
        if (input.IsEmpty || input.ZoneLeftOut)
        {
            return Html(new PageState(input, input.Errors), options.Value);
        }

        return await DiagnoseAsync(context, input, diagnoser, gate, options.Value);
    }

    private static async Task<IResult> PostAsync(HttpContext context, Diagnoser diagnoser, DiagnosisGate gate, IOptions<ServiceOptions> options)
    {
        if (!context.Request.HasFormContentType)
        {
            return Results.Redirect("/");
        }

        // A pasted zone is one form value: allow it the size the API allows a body (FormOptions' default is 4 MiB).
        var limit = (int)Math.Min(int.MaxValue, options.Value.MaxBodyBytes);
        context.Features.Set<IFormFeature>(new FormFeature(context.Request, new FormOptions { ValueLengthLimit = limit, MultipartBodyLengthLimit = limit }));
        var input = await PageInput.FromFormAsync(await context.Request.ReadFormAsync(context.RequestAborted));
        if (input.IsEmpty && input.Errors.Count == 0)
        {
            return Html(new PageState(input, [new FieldError("domains", "Give names to check, zone text to audit, or a certificate description.")]), options.Value);
        }

        return await DiagnoseAsync(context, input, diagnoser, gate, options.Value);
    }

    /// <summary>The page's diagnoses take their slots from the same gate, and keep the same deadline, as <c>POST /diagnose</c>.</summary>
    private static async Task<IResult> DiagnoseAsync(HttpContext context, PageInput input, Diagnoser diagnoser, DiagnosisGate gate, ServiceOptions options)
    {
        var (fields, errors) = input.ToFields();
        if (fields is null)
        {
            return Html(new PageState(input, errors), options);
        }

        var parsed = DiagnosisRequestParser.Parse(fields);
        if (parsed.Request is not { } request)
        {
            return Html(new PageState(input, parsed.Errors), options);
        }

        var slots = gate.SlotsFor(request);
        using var slot = await gate.EnterAsync(slots, diagnoser.DeadlineFor(request), RequestLog.Elapsed(context), context.RequestAborted);
        if (!slot.IsAcquired)
        {
            return ClientLimits.Busy(context, gate.RetryAfter, slots);
        }

        try
        {
            var report = await diagnoser.RunAsync(request, RequestLog.Elapsed(context), context.RequestAborted);
            var link = $"{context.Request.Scheme}://{context.Request.Host}/{input.ToQueryString()}";
            return Html(new PageState(input, [], report, request) { Permalink = link }, options);
        }
        catch (DiagnosisInputException mistake)
        {
            return Html(new PageState(input, [new FieldError(mistake.Field, mistake.Message)]), options);
        }
        catch (DiagnosisDeadlineException late)
        {
            return Html(new PageState(input, [new FieldError("zoneFile", late.Message + " Send a smaller zone.")]), options);
        }
    }

    private static IResult Html(PageState state, ServiceOptions options) =>
        Results.Content(PageView.Render(state, options.MaxBodyBytes), "text/html; charset=utf-8",
            statusCode: state.Errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);

    private static IResult RulePage(string id, RuleCatalog catalog, RuleDocs docs)
    {
        if (catalog.Find(id) is not { } rule || docs.For(rule.Metadata.Id) is not { } markdown)
        {
            return Results.Content(RulePageView.NotFound(id), "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        }

        // The pages link each other as files (CAA008.md): in the browser they are CAA008.html.
        var body = System.Text.RegularExpressions.Regex.Replace(Markdig.Markdown.ToHtml(markdown, Markdown),
            "href=\"(?:\\./)?([A-Za-z]+[0-9]+)\\.md", "href=\"/rules/$1.html");
        return Results.Content(RulePageView.Render(rule.Metadata.Id, rule.Metadata.Title, body), "text/html; charset=utf-8");
    }

    private static IResult Asset(string name, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"RulesApi.Api.Features.Page.{name}")
            ?? throw new InvalidOperationException($"embedded {name} is missing");
        using var reader = new StreamReader(stream);
        return Results.Text(reader.ReadToEnd(), contentType);
    }
}

/// <summary>The HTML frame around a rule page rendered from docs/rules/{id}.md.</summary>
public static class RulePageView
{
    public static string Render(string id, string title, string body) => $"""
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">
        <title>{PageView.E(id)} — {PageView.E(title)}</title><link rel="stylesheet" href="/page.css"></head>
        <body class="rule-page"><header><p><a href="/">← Back to the support page</a> · <a href="/rules/{PageView.E(id)}">this rule as JSON</a></p></header>
        <main><article class="rule-doc">{body}</article></main></body></html>
        """;

    public static string NotFound(string id) => $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>No such rule</title><link rel="stylesheet" href="/page.css"></head>
        <body><main><h1>No rule '{PageView.E(id)}'</h1><p><a href="/">Back to the support page</a></p></main></body></html>
        """;
}
