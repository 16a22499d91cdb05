using System.Globalization;
using System.Net;
using System.Text;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Report;

namespace RulesApi.Api.Features.Page;

/// <summary>
/// The path a CA and ACM walk for one name, drawn as SVG on the server from what the report knows:
/// the CAA climb from the name towards the zone apex (which level's set decided, from the CAA
/// findings' evidence), the CNAMEs the evidence shows, where the validation CNAME was expected and
/// what the VAL findings say of it, and the delegation (NS findings; which servers answered, live).
/// A level the report says nothing about is drawn as unknown, never guessed.
/// </summary>
public static class PathPicture
{
    private const int Width = 760;
    private const int NarrowBox = 380;
    private const int BoxHeight = 46;
    private const int Gap = 26;
    private const double CharWidth = 7.3;

    private static readonly string[] DecidingRules = ["CAA001", "CAA002", "CAA003", "CAA008", "CAA007", "CAA004", "CAA010"];

    public sealed record Level(string Name, string State, string Detail, string? Queries);

    /// <summary>What the picture shows, in words too: the same facts are the SVG's text alternative.</summary>
    public sealed record Path(string Name, IReadOnlyList<Level> Climb, IReadOnlyList<string> Cnames, string CnameState, string Validation, string ValidationState, IReadOnlyList<string> Delegation);

    public static Path Of(NameVerdict verdict, DiagnosisReport report, DiagnosisRequest request)
    {
        var name = verdict.Name;
        // The name's own findings, and those about every name (a rule that could not be checked is one finding for all).
        var mine = report.Findings.Where(f => Same(f.Name, name) || f.ConcernsEveryName).ToList();
        var evidence = mine.SelectMany(f => f.Evidence.Select(Evidence.Read)).OfType<Evidence>().ToList();

        // The CNAMEs the evidence shows, followed from the name.
        var cnames = new List<string>();
        var at = name;
        for (var hop = 0; hop < 8 && evidence.FirstOrDefault(e => e.Type == "CNAME" && Same(e.Owner, at)) is { } link; hop++)
        {
            cnames.Add($"{Trim(link.Owner)} → {Trim(link.Data)}");
            at = link.Data;
        }

        var decider = DecidingRules
            .Select(id => mine.FirstOrDefault(f => f.RuleId == id))
            .OfType<Finding>()
            .Select(f => f.Evidence.Select(Evidence.Read).OfType<Evidence>().FirstOrDefault(e => e.Type == "CAA"))
            .OfType<Evidence>()
            .FirstOrDefault();
        // A CAA rule that could not be checked forbids nothing.
        var forbids = mine.Any(f => f.RuleId is "CAA001" or "CAA002" or "CAA003" && !f.Inconclusive);
        var noCaa = mine.Any(f => f.RuleId == "CAA011");
        var lookupFailed = mine.FirstOrDefault(f => f.RuleId == "CAA009");

        // RFC 8659 §3: the search starts at the name (a wildcard's base name) and climbs one label at a time.
        var start = name.StartsWith("*.", StringComparison.Ordinal) ? name[2..] : name;
        var apex = report.Zone?.Origin is { } origin && IsAtOrBelow(start, origin) ? origin : null;
        var levels = new List<string>();
        for (var level = start; level.Length > 0; level = Parent(level))
        {
            levels.Add(level);
            if ((apex is not null && Same(level, apex)) || (apex is null && Labels(level) <= 2 && !AskedLive(report, level)))
            {
                break;
            }
        }

        var chainEnd = decider is not null && cnames.Count > 0 && Same(at, decider.Owner) ? at : null;
        var deciderSet = decider is null ? null : evidence.Where(e => e.Type == "CAA" && Same(e.Owner, decider.Owner)).Select(e => e.Data).Distinct().ToList();
        var climb = new List<Level>();
        var decided = false;
        foreach (var level in levels)
        {
            var queries = LiveOutcomes(report, level, "CAA");
            if (decided)
            {
                climb.Add(new Level(level, "skipped", chainEnd is null ? "above the deciding set: does not count" : "not reached: the CNAME's target decided", queries));
            }
            else if (decider is not null && Same(level, decider.Owner))
            {
                climb.Add(new Level(level, forbids ? "forbids" : "allows",
                    (forbids ? "this set decides: Amazon not allowed — " : "this set decides: Amazon allowed — ") + string.Join("; ", deciderSet!), queries));
                decided = true;
            }
            else if (decider is not null && chainEnd is not null && Same(level, name))
            {
                // RFC 8659 §3: CAA at a name that is a CNAME is the CAA of its target; the set there decides.
                climb.Add(new Level(level, "cname", $"a CNAME: the CAA set at its target {Trim(chainEnd)} decides (right)", queries));
                decided = true;
            }
            else if (decider is not null || noCaa)
            {
                climb.Add(new Level(level, "empty", "asked: no CAA records here", queries));
            }
            else if (lookupFailed is not null)
            {
                climb.Add(new Level(level, "unknown", "lookup did not finish (CAA009)", queries));
            }
            else
            {
                climb.Add(new Level(level, "unknown", verdict.Verdict == Verdict.Ok ? "no CAA finding: Amazon allowed or no set" : "the report says nothing of CAA here", queries));
            }
        }

        var cnameState = chainEnd is null ? "cname" : forbids ? "forbids" : "allows";
        if (chainEnd is not null)
        {
            cnames[^1] += $" — the set here decides: {(forbids ? "Amazon not allowed" : "Amazon allowed")} — {string.Join("; ", deciderSet!)}";
        }

        if (decider is not null && !decided)
        {
            climb.Add(new Level(decider.Owner, forbids ? "forbids" : "allows",
                "reached through the CNAME; this set decides — " + string.Join("; ", deciderSet!), LiveOutcomes(report, decider.Owner, "CAA")));
        }

        if (noCaa && decider is null && climb.Count > 0)
        {
            climb[^1] = climb[^1] with { Detail = "no CAA records up to here: any CA may issue" };
        }

        var (validation, validationState) = ValidationOf(name, mine, request, report);
        return new Path(name, climb, cnames, cnameState, validation, validationState, DelegationOf(name, report));
    }

    private static (string Text, string State) ValidationOf(string name, List<Finding> mine, DiagnosisRequest request, DiagnosisReport report)
    {
        var baseName = name.StartsWith("*.", StringComparison.Ordinal) ? name[2..] : name;
        var expected = request.Certificate?.DomainValidationOptions
            .Where(o => Same(o.DomainName.ToString(), name) || Same(o.DomainName.ToString(), baseName))
            .Select(o => o.ResourceRecord)
            .OfType<AcmResourceRecord>()
            .Select(r => new Expected(r.Name.ToString(), r.Value.ToString()))
            .Concat(request.ValidationRecords.Where(v => Same(Parent(v.Name.ToString()), baseName)).Select(v => new Expected(v.Name.ToString(), v.Value.ToString())))
            .FirstOrDefault();
        var problem = mine.Where(f => f.RuleId.StartsWith("VAL", StringComparison.Ordinal)).OrderBy(f => f.Severity).FirstOrDefault();
        if (expected is null)
        {
            return problem is null
                ? ("no validation record given (paste the certificate description to check it)", "unknown")
                : ($"{problem.RuleId}: {problem.Title}", problem.Severity <= Severity.Error ? "forbids" : "unknown");
        }

        var where = $"{Trim(expected.Name)} CNAME {Trim(expected.Value)}";
        var live = LiveOutcomes(report, expected.Name, "CNAME");
        if (problem is null)
        {
            return ($"found as expected: {where}" + (live is null ? "" : $" ({live})"), "allows");
        }

        var found = problem.Evidence.FirstOrDefault() is { } line ? $"; found: {line.Split(';')[0].Trim()}" : "";
        return ($"expected {where} — {problem.RuleId}: {problem.Title}{found}", problem.Severity <= Severity.Error ? "forbids" : "empty");
    }

    private sealed record Expected(string Name, string Value);

    private static List<string> DelegationOf(string name, DiagnosisReport report)
    {
        var lines = report.Findings
            .Where(f => f.RuleId.StartsWith("NS", StringComparison.Ordinal))
            .Select(f => $"{f.RuleId}: {f.Title}" + (f.Evidence.Count > 0 ? " — " + string.Join("; ", f.Evidence.Take(3).Select(e => e.Split(';')[0].Trim())) : ""))
            .Distinct()
            .ToList();
        if (report.Queries is { } queries)
        {
            var servers = queries
                .Where(q => q.Authoritative && (Same(q.Name, name) || IsAtOrBelow(q.Name, name)))
                .Select(q => q.Server)
                .Distinct()
                .ToList();
            lines.Add(servers.Count > 0
                ? $"answered with authority by {string.Join(", ", servers)}"
                : "no server answered with authority for this name");
        }
        else if (lines.Count == 0)
        {
            lines.Add(report.Zone is not null ? "zone text: the parent's delegation was not asked" : "no delegation finding");
        }

        return lines;
    }

    /// <summary>"NOERROR ×2, timeout" for a live run's queries of one name and type; null offline.</summary>
    private static string? LiveOutcomes(DiagnosisReport report, string name, string type)
    {
        var outcomes = (report.Queries ?? [])
            .Where(q => Same(q.Name, name) && q.Type == type)
            .GroupBy(q => q.Outcome)
            .Select(g => g.Count() == 1 ? g.Key : $"{g.Key} ×{g.Count()}")
            .ToList();
        return outcomes.Count == 0 ? null : $"{type} asked: {string.Join(", ", outcomes)}";
    }

    private static bool AskedLive(DiagnosisReport report, string level) =>
        report.Queries?.Any(q => q.Type == "CAA" && Same(q.Name, Parent(level))) == true && Labels(level) > 1;

    public static string Svg(Path path)
    {
        var rows = Math.Max(path.Climb.Count, path.Cnames.Count);
        var climbBottom = 40 + (rows * (BoxHeight + Gap));
        var height = climbBottom + 110 + (path.Delegation.Count * 18);
        // The climb takes the whole width unless CNAMEs are drawn beside it.
        var boxWidth = path.Cnames.Count > 0 ? NarrowBox : Width - 24;
        var svg = new StringBuilder();
        var title = $"The path for {Trim(path.Name)}";
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"path\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-labelledby=\"t-{Id(path.Name)}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"t-{Id(path.Name)}\">{E(title)}: {E(Describe(path))}</title>");
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"arrowhead\"/></marker></defs>");
        Text(svg, 12, 22, path.Cnames.Count > 0 ? "CAA climb (RFC 8659): first set found decides" : "CAA climb (RFC 8659): from the name up, the first set found decides", "heading");
        if (path.Cnames.Count > 0)
        {
            Text(svg, 420, 22, "CNAMEs in the evidence", "heading");
        }

        for (var i = 0; i < path.Climb.Count; i++)
        {
            var level = path.Climb[i];
            var y = 34 + (i * (BoxHeight + Gap));
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"12\" y=\"{y}\" width=\"{boxWidth}\" height=\"{BoxHeight}\" rx=\"6\" class=\"node {level.State}\"/>");
            Text(svg, 22, y + 18, Fit(Trim(level.Name), boxWidth - 20, 1.0), "name");
            Lines(svg, 22, y + 36, level.Detail + (level.Queries is null ? "" : $" · {level.Queries}"), boxWidth - 20, lines: 1);
            if (i + 1 < path.Climb.Count)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"60\" y1=\"{y + BoxHeight}\" x2=\"60\" y2=\"{y + BoxHeight + Gap - 2}\" class=\"edge\" marker-end=\"url(#arrow)\"/>");
                Text(svg, 70, y + BoxHeight + 17, level.State is "skipped" ? "" : "parent", "detail");
            }
        }

        for (var i = 0; i < path.Cnames.Count; i++)
        {
            var y = 34 + (i * (BoxHeight + Gap));
            var state = i == path.Cnames.Count - 1 ? path.CnameState : "cname";
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"420\" y=\"{y}\" width=\"{Width - 432}\" height=\"{BoxHeight}\" rx=\"6\" class=\"node {state}\"/>");
            Lines(svg, 430, y + 19, path.Cnames[i], Width - 452);
            if (i == 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{12 + boxWidth}\" y1=\"{y + (BoxHeight / 2)}\" x2=\"418\" y2=\"{y + (BoxHeight / 2)}\" class=\"edge\" marker-end=\"url(#arrow)\"/>");
            }
        }

        var vy = climbBottom;
        Text(svg, 12, vy, "Validation CNAME (ACM's DNS validation)", "heading");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"12\" y=\"{vy + 8}\" width=\"{Width - 24}\" height=\"{BoxHeight}\" rx=\"6\" class=\"node {path.ValidationState}\"/>");
        Lines(svg, 22, vy + 26, path.Validation, Width - 44);

        var dy = vy + BoxHeight + 36;
        Text(svg, 12, dy, "Delegation", "heading");
        for (var i = 0; i < path.Delegation.Count; i++)
        {
            Text(svg, 22, dy + 20 + (i * 18), Fit(path.Delegation[i], Width - 44, 0.85), "detail");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The picture in one paragraph of words, for screen readers and for copying into a ticket.</summary>
    public static string Describe(Path path) =>
        string.Join(" ", path.Climb.Select(l => $"{Trim(l.Name)}: {l.Detail}.")) +
        (path.Cnames.Count > 0 ? $" CNAMEs: {string.Join(", ", path.Cnames)}." : "") +
        $" Validation: {path.Validation}. Delegation: {string.Join("; ", path.Delegation)}.";

    private static void Text(StringBuilder svg, int x, int y, string text, string css) =>
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{y}\" class=\"{css}\">{E(text)}</text>");

    /// <summary>Small text broken at spaces over at most <paramref name="lines"/> lines, the last cut with an ellipsis.</summary>
    private static void Lines(StringBuilder svg, int x, int y, string text, int width, int lines = 2)
    {
        var max = (int)(width / (CharWidth * 0.92));
        for (var line = 0; line < lines && text.Length > 0; line++)
        {
            var cut = text.Length <= max || line == lines - 1 ? text.Length : Math.Max(text.LastIndexOf(' ', max), max / 2);
            Text(svg, x, y + (line * 15), Fit(text[..cut], width, 0.92), "detail");
            text = text[cut..].TrimStart();
        }
    }

    private static string Fit(string text, int width, double scale)
    {
        var max = (int)(width / (CharWidth * scale));
        return text.Length <= max ? text : text[..(max - 1)] + "…";
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    public static string Id(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());

    private static string Trim(string name) => name.Length > 1 ? name.TrimEnd('.') : name;

    private static bool Same(string a, string b) => string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    private static bool IsAtOrBelow(string name, string zone) =>
        Same(name, zone) || name.TrimEnd('.').EndsWith("." + zone.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    private static int Labels(string name) => name.TrimEnd('.').Split('.').Length;

    private static string Parent(string name)
    {
        var trimmed = name.TrimEnd('.');
        var dot = trimmed.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? "" : trimmed[(dot + 1)..] + ".";
    }

    /// <summary>One evidence line read back as a record: "owner ttl IN TYPE data ; line N" (the report's own format).</summary>
    private sealed record Evidence(string Owner, string Type, string Data)
    {
        private static readonly HashSet<string> Types = ["CAA", "CNAME", "NS", "TXT", "A", "AAAA", "DS", "DNSKEY", "SOA", "DNAME"];

        public static Evidence? Read(string line)
        {
            var text = line.Split("    ;")[0].Trim();
            var tokens = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 1; i < tokens.Length - 1; i++)
            {
                if (Types.Contains(tokens[i]) && (tokens[i - 1] == "IN" || uint.TryParse(tokens[i - 1], out _)))
                {
                    return new Evidence(tokens[0], tokens[i], string.Join(' ', tokens[(i + 1)..]));
                }
            }

            return null;
        }
    }
}
