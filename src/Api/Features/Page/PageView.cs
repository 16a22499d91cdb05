using System.Globalization;
using System.Net;
using System.Text;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Report;

namespace RulesApi.Api.Features.Page;

/// <summary>What one render of the page shows: the inputs, their errors, and the diagnosis when there is one.</summary>
public sealed record PageState(PageInput Input, IReadOnlyList<FieldError> Errors, DiagnosisReport? Report = null, DiagnosisRequest? Request = null)
{
    /// <summary>The link that reproduces this diagnosis (<see cref="PageInput.ToQueryString"/>), absolute.</summary>
    public string? Permalink { get; init; }
}

/// <summary>
/// Renders the support page as HTML on the server: the form, then the answer in the order a person
/// reads it — a verdict and one sentence per name, the records to type into the provider's form, the
/// path per name, the findings by severity with evidence and lines, the link to reproduce it, and the
/// query log folded. Works without JavaScript; page.js only adds copy buttons, local times and the
/// size check of uploads.
/// </summary>
public static class PageView
{
    private static readonly (string Value, string Label)[] Providers =
    [
        ("", "Not said — detected from the delegation when live, else generic"),
        .. DnsProviders.All.Where(p => p.Provider != DnsProvider.Generic).Select(p => (p.Id, p.DisplayName)),
        ("generic", "Another provider (generic form)"),
    ];

    public static string Render(PageState state, long maxBodyBytes)
    {
        var html = new StringBuilder();
        html.Append("""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>RulesApi — why will ACM not issue?</title>
            <link rel="stylesheet" href="/page.css">
            <script src="/page.js" defer></script>
            </head>
            <body>
            <a class="skip" href="#answer">Skip to the answer</a>
            <header><h1>Why will ACM not issue this certificate?</h1>
            <p>Paste the names, the zone your DNS provider exports, or ACM's description of the certificate. Without zone text the names are looked up live.</p></header>
            <main>
            """);
        Form(html, state, maxBodyBytes);
        html.Append("<section id=\"answer\" aria-labelledby=\"answer-heading\">");
        if (state.Report is { } report && state.Request is { } request)
        {
            Answer(html, state, report, request);
        }
        else
        {
            html.Append("<h2 id=\"answer-heading\">Answer</h2><p class=\"quiet\">The answer appears here once you diagnose.</p>");
        }

        html.Append("</section></main><div id=\"announce\" class=\"visually-hidden\" role=\"status\" aria-live=\"polite\"></div></body></html>");
        return html.ToString();
    }

    private static void Form(StringBuilder html, PageState state, long maxBodyBytes)
    {
        var input = state.Input;
        var errors = state.Errors.GroupBy(e => FieldOf(e.Field)).ToDictionary(g => g.Key, g => g.ToList());
        html.Append(CultureInfo.InvariantCulture,
            $"<form id=\"inputs\" method=\"post\" action=\"/#answer\" enctype=\"multipart/form-data\" data-max-bytes=\"{maxBodyBytes}\" aria-labelledby=\"inputs-heading\">");
        html.Append("<h2 id=\"inputs-heading\">What to diagnose</h2>");
        if (state.Errors.Count > 0)
        {
            html.Append("<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" id=\"error-summary\"><h3>The request has mistakes</h3><ul>");
            foreach (var error in state.Errors)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"#{FieldOf(error.Field)}\">{E(error.Field)}</a>: {E(error.Message)}</li>");
            }

            html.Append("</ul></div>");
        }

        if (input.ZoneLeftOut && input.ZoneFile.Length == 0)
        {
            html.Append("<p class=\"link-notice\" role=\"note\">This link came from a diagnosis of pasted zone text, which links never carry: paste or upload the zone again, then diagnose.</p>");
        }

        Field(html, "domains", "Names on the certificate", "One per line, or separated by commas; wildcards such as *.example.com allowed.", errors,
            $"<textarea id=\"domains\" name=\"domains\" rows=\"3\" spellcheck=\"false\" autocapitalize=\"off\"{Described("domains", errors)}>{E(input.Domains)}</textarea>");
        Field(html, "zoneFile", "Zone text (optional)", "BIND format, as GoDaddy, Namecheap or Cloudflare export it. Without it, the names are looked up live. Never put in links.", errors,
            $"<textarea id=\"zoneFile\" name=\"zoneFile\" rows=\"6\" spellcheck=\"false\" class=\"code\"{Described("zoneFile", errors)}>{E(input.ZoneFile)}</textarea>" +
            $"<label class=\"file\" for=\"zoneUpload\">or upload a zone file (at most {maxBodyBytes / (1024 * 1024)} MiB)</label><input type=\"file\" id=\"zoneUpload\" name=\"zoneUpload\" data-field=\"zoneFile\">");
        Field(html, "origin", "Zone name (optional)", "Only when the zone text has no $ORIGIN and no SOA with a full name, e.g. example.com.", errors,
            $"<input type=\"text\" id=\"origin\" name=\"origin\" value=\"{E(input.Origin)}\" spellcheck=\"false\" autocapitalize=\"off\"{Described("origin", errors)}>");
        Field(html, "acmCertificate", "ACM's certificate description (optional)", "The output of 'aws acm describe-certificate': adds the certificate's names and validation records.", errors,
            $"<textarea id=\"acmCertificate\" name=\"acmCertificate\" rows=\"4\" spellcheck=\"false\" class=\"code\"{Described("acmCertificate", errors)}>{E(input.AcmCertificate)}</textarea>" +
            "<label class=\"file\" for=\"acmCertificateUpload\">or upload the JSON file</label><input type=\"file\" id=\"acmCertificateUpload\" name=\"acmCertificateUpload\" accept=\".json,application/json\" data-field=\"acmCertificate\">");
        var options = new StringBuilder();
        foreach (var (value, label) in Providers)
        {
            var selected = string.Equals(value, input.Provider, StringComparison.OrdinalIgnoreCase) ? " selected" : "";
            options.Append(CultureInfo.InvariantCulture, $"<option value=\"{value}\"{selected}>{E(label)}</option>");
        }

        Field(html, "provider", "DNS provider", "Whose record form the fixes are written for.", errors,
            $"<select id=\"provider\" name=\"provider\"{Described("provider", errors)}>{options}</select>");
        var cas = new StringBuilder();
        foreach (var ca in CertificateAuthorities.BuiltIn)
        {
            var selected = string.Equals(ca.Id, input.Ca.Length > 0 ? input.Ca : CertificateAuthorities.Amazon.Id, StringComparison.OrdinalIgnoreCase) ? " selected" : "";
            cas.Append(CultureInfo.InvariantCulture, $"<option value=\"{ca.Id}\"{selected}>{E(ca.Name)}</option>");
        }

        Field(html, "ca", "Certificate authority", "The CA that will issue: its CAA names are the ones that count.", errors,
            $"<select id=\"ca\" name=\"ca\"{Described("ca", errors)}>{cas}</select>");
        html.Append("<div class=\"actions\"><button type=\"submit\" id=\"diagnose\">Diagnose</button> <a href=\"/\">Start again</a></div></form>");
    }

    private static void Field(StringBuilder html, string id, string label, string hint, Dictionary<string, List<FieldError>> errors, string control)
    {
        var invalid = errors.ContainsKey(id);
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"field{(invalid ? " invalid" : "")}\"><label for=\"{id}\">{E(label)}</label><p class=\"hint\" id=\"{id}-hint\">{E(hint)}</p>");
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"field-error\" id=\"{id}-error\" aria-live=\"polite\">");
        foreach (var error in errors.GetValueOrDefault(id) ?? [])
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><span class=\"path\">{E(error.Field)}</span>: {E(error.Message)}</p>");
        }

        html.Append("</div>").Append(control).Append("</div>");
    }

    private static string Described(string id, Dictionary<string, List<FieldError>> errors) =>
        $" aria-describedby=\"{id}-hint {id}-error\"" + (errors.ContainsKey(id) ? " aria-invalid=\"true\"" : "");

    /// <summary>The form field an error path belongs to: <c>domains[2]</c> → domains, <c>acmCertificate.DomainName</c> → acmCertificate.</summary>
    public static string FieldOf(string path)
    {
        var end = path.IndexOfAny(['[', '.']);
        var field = end < 0 ? path : path[..end];
        return field switch
        {
            "domains" or "origin" or "zoneFile" or "acmCertificate" or "provider" or "ca" => field,
            "validationRecords" => "acmCertificate",
            _ => "domains",
        };
    }

    private static void Answer(StringBuilder html, PageState state, DiagnosisReport report, DiagnosisRequest request)
    {
        var caName = request.Ca is { } caId ? CertificateAuthorities.Find(caId)?.Name ?? caId : CertificateAuthorities.Amazon.Name;
        var provider = request.Provider
            ?? (report.ProviderDetected is { } found && DnsProviders.TryParse(found.Provider, out var detected) ? detected : DnsProvider.Generic);
        html.Append("<h2 id=\"answer-heading\">Answer</h2>");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"source\">{E(SourceText(report))}</p>");
        if (report.ProviderDetected is { } detection)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<p class=\"detected\" id=\"provider-detected\">Provider detected from the delegation of {E(detection.Zone.TrimEnd('.'))}: <strong>{E(detection.Name)}</strong> (name servers {E(string.Join(", ", detection.From))}).</p>");
        }

        html.Append("<h3>Verdict per name</h3><ul class=\"verdicts\">");
        foreach (var verdict in report.Names)
        {
            var (css, label) = VerdictLabel(verdict.Verdict);
            html.Append(CultureInfo.InvariantCulture,
                $"<li class=\"verdict {css}\"><span class=\"badge {css}\">{label}</span> <strong class=\"name\">{E(verdict.Name.TrimEnd('.'))}</strong><p class=\"plain\">{E(verdict.Answer ?? PlainAnswer.For(verdict, report.Findings, provider, caName))}</p></li>");
        }

        if (report.NamesTruncated is { } more)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li class=\"quiet\" id=\"names-omitted\">… and {more.Omitted} more names, not listed: {E(more.ByVerdict())}.</li>");
        }

        if (report.Names.Count == 0)
        {
            html.Append("<li class=\"quiet\">No name was diagnosed.</li>");
        }

        html.Append("</ul>");
        Records(html, report, provider);
        Paths(html, report, request);
        Findings(html, report);
        Permalink(html, state);
        QueryLog(html, report);
    }

    private static string SourceText(DiagnosisReport report)
    {
        var source = report.Source switch
        {
            "live" => $"Looked up live ({report.Queries?.Count ?? 0} queries)",
            "zone" => "Read from the zone text",
            "zone-audit" => "An audit of the zone text (no names given: the apex and every name with CAA records)",
            var other => $"Source: {other}",
        };
        var zone = report.Zone is { } z ? $"; zone {z.Origin.TrimEnd('.')}: {z.Records} records on {z.Lines} lines, {z.Errors} syntax error{(z.Errors == 1 ? "" : "s")}" : "";
        return $"{source}{zone}; {report.RulesRun.Count} rules ran in {report.ElapsedMs} ms.";
    }

    private static (string Css, string Label) VerdictLabel(Verdict verdict) => verdict switch
    {
        Verdict.Blocked => ("blocked", "Blocked"),
        Verdict.AtRisk => ("at-risk", "At risk"),
        Verdict.Ok => ("ok", "OK"),
        _ => ("inconclusive", "Inconclusive"),
    };

    private static void Records(StringBuilder html, DiagnosisReport report, DnsProvider provider)
    {
        // One card per distinct record (the report's changes): the same fix is often proposed by several findings, one per name.
        var changes = report.Changes ?? [];
        html.Append(CultureInfo.InvariantCulture, $"<h3>What to type at {E(DnsProviders.DisplayName(provider))}</h3>");
        if (changes.Count == 0)
        {
            html.Append("<p class=\"quiet\">Nothing to add, change or remove.</p>");
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<p class=\"quiet\">Each record once, with the names it serves ({changes.Count} change{(changes.Count == 1 ? "" : "s")}).</p>");
        html.Append("<ol class=\"records\">");
        var index = 0;
        foreach (var record in changes)
        {
            index++;
            var action = record.Action switch { RecordAction.Add => "Add", RecordAction.Remove => "Remove", _ => "Change" };
            var names = string.Join(", ", record.Names.Select(name => name.TrimEnd('.')))
                + (record.NameCount is { } count ? $" and {count - record.Names.Count} more names" : "");
            html.Append(CultureInfo.InvariantCulture, $"<li class=\"record {action.ToLowerInvariant()}\" id=\"record-{index}\"><h4><span class=\"action\">{action}</span> a {E(record.Type)} record</h4>");
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"why\">For {E(names)} ({E(string.Join(", ", record.RuleIds))})</p>");
            var form = record.Form ?? new ProviderForm("generic", [new("Host", record.Host), new("Type", record.Type), new("Value", record.Value), new("TTL", record.Ttl.ToString(CultureInfo.InvariantCulture))]);
            html.Append("<dl class=\"form\">");
            foreach (var field in form.Fields)
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<div><dt>{E(field.Label)}</dt><dd><code>{E(field.Value)}</code> <button type=\"button\" class=\"copy\" data-copy=\"{E(field.Value)}\" aria-label=\"Copy {E(field.Label)}: {E(field.Value)}\">Copy</button></dd></div>");
            }

            html.Append("</dl>");
            if (form.Note is { } note)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{E(note)}</p>");
            }

            if (record.Keep is { Count: > 0 } keep)
            {
                // A non-expert may replace the CAA records instead of adding one: say which stay, for the CAs still in use.
                html.Append(CultureInfo.InvariantCulture, $"<div class=\"keep\"><p>Keep the {(keep.Count == 1 ? "CAA record" : $"{keep.Count} CAA records")} already at {E(record.Name.TrimEnd('.'))} (add beside {(keep.Count == 1 ? "it" : "them")}, do not replace):</p><ul>");
                foreach (var kept in keep)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<li><code>{E(kept)}</code></li>");
                }

                html.Append("</ul></div>");
            }

            html.Append(CultureInfo.InvariantCulture,
                $"<p class=\"zone-line\">As a zone-file line: <code>{E(record.ZoneLine)}</code> <button type=\"button\" class=\"copy\" data-copy=\"{E(record.ZoneLine)}\" aria-label=\"Copy the zone-file line\">Copy</button></p>");
            if (record.VisibleBy is { } visible && record.Action != RecordAction.Remove)
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<p class=\"visible\">Visible everywhere by <time class=\"local\" datetime=\"{visible.At.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\">{visible.At.UtcDateTime:yyyy-MM-dd HH:mm} UTC</time> at the latest, once changed <span class=\"quiet\">(resolvers may keep the old answer for {Duration(visible.CacheSeconds)})</span>.</p>");
            }

            html.Append("</li>");
        }

        html.Append("</ol>");
    }

    private static string Duration(uint seconds) => seconds switch
    {
        < 120 => $"{seconds} s",
        < 7200 => $"{seconds / 60} min",
        < 172800 => $"{seconds / 3600} h",
        _ => $"{seconds / 86400} days",
    };

    /// <summary>The most names the page draws a path for.</summary>
    public const int MaxPaths = 20;

    private static void Paths(StringBuilder html, DiagnosisReport report, DiagnosisRequest request)
    {
        if (report.Names.Count == 0)
        {
            return;
        }

        html.Append("<h3>The path, name by name</h3>");
        // An audit lists up to a thousand names: a picture each would make a page of megabytes nobody scrolls.
        // The worst come first in the pictures; the verdict list above still names every listed name.
        var pictured = report.Names.Count <= MaxPaths
            ? report.Names
            : report.Names.Select((verdict, index) => (verdict, index)).OrderBy(x => x.verdict.Verdict).ThenBy(x => x.index).Take(MaxPaths).Select(x => x.verdict).ToList();
        if (pictured.Count < report.Names.Count)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<p class=\"quiet\" id=\"paths-omitted\">The paths of the {MaxPaths} names with the worst verdicts; the other {report.Names.Count - MaxPaths} are in the verdict list above.</p>");
        }

        foreach (var verdict in pictured)
        {
            var path = PathPicture.Of(verdict, report, request);
            html.Append(CultureInfo.InvariantCulture, $"<figure class=\"path-figure\" id=\"path-{PathPicture.Id(verdict.Name)}\">");
            html.Append("<div class=\"scroll\">").Append(PathPicture.Svg(path)).Append("</div>");
            html.Append(CultureInfo.InvariantCulture,
                $"<figcaption><strong>{E(verdict.Name.TrimEnd('.'))}</strong> <details><summary>In words</summary><p>{E(PathPicture.Describe(path))}</p></details></figcaption></figure>");
        }
    }

    private static void Findings(StringBuilder html, DiagnosisReport report)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h3>Findings ({report.Findings.Count}), most severe first</h3>");
        if (report.Findings.Count == 0)
        {
            html.Append("<p class=\"quiet\">No findings.</p>");
            return;
        }

        html.Append("<ol class=\"findings\">");
        foreach (var finding in report.Findings)
        {
            var severity = finding.Severity.ToString().ToLowerInvariant();
            var id = finding.RuleId;
            html.Append(CultureInfo.InvariantCulture, $"<li class=\"finding {severity}\"><h4><span class=\"badge {severity}\">{severity}</span> ");
            html.Append(CultureInfo.InvariantCulture, $"<a href=\"/rules/{E(id)}.html\">{E(id)}</a> {E(finding.Title)}</h4>");
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">{E(finding.Name.TrimEnd('.'))}{(finding.Location is { } at ? $" · zone line {at.Line}, column {at.Column}" : "")}</p>");
            html.Append(CultureInfo.InvariantCulture, $"<p>{E(finding.Message)}</p>");
            if (finding.Evidence.Count > 0)
            {
                html.Append("<pre class=\"evidence\">");
                foreach (var line in finding.Evidence)
                {
                    html.Append(E(line)).Append('\n');
                }

                html.Append("</pre>");
            }

            if (finding.Remediation is { } remediation)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p class=\"fix\"><strong>Fix:</strong> {E(remediation.Summary)}</p>");
            }

            if (finding.References.Count > 0)
            {
                html.Append("<p class=\"refs\">References: ");
                html.Append(string.Join(", ", finding.References.Select(r => $"<a href=\"{E(r)}\" rel=\"noreferrer\">{E(ShortReference(r))}</a>")));
                html.Append("</p>");
            }

            html.Append("</li>");
        }

        html.Append("</ol>");
    }

    private static string ShortReference(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? parsed.Host + parsed.AbsolutePath.TrimEnd('/') + parsed.Fragment : uri;

    private static void Permalink(StringBuilder html, PageState state)
    {
        if (state.Permalink is not { } link)
        {
            return;
        }

        html.Append("<h3>Link to this diagnosis</h3><p class=\"permalink\"><label for=\"permalink\">For a support ticket:</label> ");
        html.Append(CultureInfo.InvariantCulture, $"<input type=\"text\" id=\"permalink\" readonly value=\"{E(link)}\"> ");
        html.Append(CultureInfo.InvariantCulture, $"<button type=\"button\" class=\"copy\" data-copy=\"{E(link)}\" aria-label=\"Copy the link\">Copy</button> <a href=\"{E(link)}\">open</a></p>");
        if (state.Input.ZoneFile.Trim().Length > 0)
        {
            html.Append("<p class=\"quiet\">The zone text is not in the link: whoever opens it pastes the zone again (attach the zone file to the ticket).</p>");
        }
        else if (state.Report?.Source == "live")
        {
            html.Append("<p class=\"quiet\">Opening the link looks the names up live again: DNS may have changed since.</p>");
        }
    }

    private static void QueryLog(StringBuilder html, DiagnosisReport report)
    {
        if (report.Queries is not { } queries)
        {
            return;
        }

        var cached = queries.Count(q => q.Cached == true);
        html.Append(CultureInfo.InvariantCulture, $"<details class=\"queries\"><summary>Query log ({queries.Count - cached} queries sent{(cached > 0 ? $", {cached} answers from the cache" : "")})</summary><div class=\"scroll\"><table><thead><tr><th scope=\"col\">sent at (ms)</th><th scope=\"col\">server</th><th scope=\"col\">name</th><th scope=\"col\">type</th><th scope=\"col\">outcome</th><th scope=\"col\">flags</th><th scope=\"col\">ms</th></tr></thead><tbody>");
        foreach (var q in queries.OrderBy(q => q.StartedAtMs))
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{q.StartedAtMs}</td><td>{E(ServerShown(q))}</td><td>{E(q.Name)}</td><td>{E(q.Type)}</td><td>{E(q.Outcome)}</td><td>{E(q.Flags)}</td><td>{q.Milliseconds}</td></tr>");
        }

        html.Append("</tbody></table></div></details>");
    }

    /// <summary>Who answered: the server, or the cache of what earlier diagnoses learned of the zones above the customer's.</summary>
    private static string ServerShown(Dns.Live.QueryLogEntry query) => query.Cached != true
        ? query.Server
        : query.Server == Dns.Live.SharedDnsCache.LogServer ? "from cache" : $"{query.Server} (from cache)";

    public static string E(string text) => WebUtility.HtmlEncode(text);
}
