using RulesApi.Rules.Contract;

namespace RulesApi.Rules.Report;

/// <summary>
/// One sentence per name, in the words a support person would say on the phone: the verdict and what
/// the most severe finding asks for ("Amazon is not allowed to issue for www.example.com: add one CAA
/// record at GoDaddy, keep the others."). Reads nothing but the findings; the engine puts it in each
/// name's verdict (<see cref="NameVerdict.Answer"/>), so the API, the command line and the page say the same.
/// </summary>
public static class PlainAnswer
{
    /// <summary>
    /// Every name's verdict with its answer, reading the findings once: each name's own findings are
    /// grouped by name first, so the cost grows with the findings plus the names, not their product.
    /// </summary>
    /// <param name="changes">
    /// The report's grouped changes: when the records a name's answer asks for serve other names too, the
    /// answer says so, so that one change is made once rather than once per name.
    /// </param>
    public static IReadOnlyList<NameVerdict> ForAll(IReadOnlyList<NameVerdict> verdicts, IEnumerable<Finding> findings, DnsProvider provider, string ca = "Amazon",
        IReadOnlyList<RecordChange>? changes = null)
    {
        var changeOf = RecordChanges.Index(changes);
        // Each name's worst finding with its place in the findings' order: of two equally bad, the earlier one speaks.
        // Made at the first finding of a name: a report without findings (a healthy name's) needs none.
        Dictionary<string, (Finding Finding, int At)>? worstByName = null;
        Finding? zoneError = null;
        // A finding that holds for every name (a rule that could not be checked) is made once, not once per name.
        (Finding Finding, int At)? everyName = null;
        var at = 0;
        foreach (var finding in findings)
        {
            if (finding.ConcernsEveryName)
            {
                everyName = everyName is not { } seen || Worse(finding, seen.Finding) ? (finding, at) : everyName;
            }
            else if (!(worstByName ??= new(StringComparer.OrdinalIgnoreCase)).TryGetValue(finding.Name, out var known) || Worse(finding, known.Finding))
            {
                worstByName[finding.Name] = (finding, at);
            }

            at++;

            if (IsZoneError(finding) && (zoneError is null || finding.Severity < zoneError.Severity))
            {
                zoneError = finding;
            }
        }

        // A loop, not a projection: its lambda's closure was made for every diagnosis.
        var answered = new List<NameVerdict>(verdicts.Count);
        foreach (var verdict in verdicts)
        {
            var worst = Earlier(worstByName is not null && worstByName.TryGetValue(verdict.Name, out var own) ? own : null, everyName);
            answered.Add(verdict with
            {
                Answer = Answer(verdict, worst ?? zoneError, provider, ca, changeOf) + SharedWith(verdict.Name, worst, changeOf),
            });
        }

        return answered;
    }

    /// <summary>One name's answer from the report's findings (what the page falls back on for a report without answers).</summary>
    public static string For(NameVerdict verdict, IEnumerable<Finding> findings, DnsProvider provider, string ca = "Amazon") =>
        ForAll([verdict], findings, provider, ca)[0].Answer!;

    /// <summary>
    /// " The same records do it for example.com and *.example.com: make the change once." when the fix of
    /// the name's own worst finding is, record for record, also the fix of other names; empty otherwise.
    /// </summary>
    private static string SharedWith(string name, Finding? worst, Func<RemediationRecord, RecordChange?> changeOf)
    {
        if (worst?.Remediation is not { Records.Count: > 0 } remediation)
        {
            return "";
        }

        // The change of the fix that serves the most names (the first of those, when several serve as many); only its first
        // few are read, so that a change serving many names costs each answer the same few steps.
        RecordChange? widest = null;
        for (var i = 0; i < remediation.Records.Count; i++)
        {
            if (changeOf(remediation.Records[i]) is { } change && (widest is null || Served(change) > Served(widest)))
            {
                widest = change;
            }
        }

        if (widest is null)
        {
            return "";
        }

        // The name's own finding proposes the record, so the change lists the name itself among its names.
        var count = Served(widest) - 1;
        if (count <= 0)
        {
            return "";
        }

        var first = widest.Names.Where(other => !string.Equals(other, name, StringComparison.OrdinalIgnoreCase)).Take(3).Select(other => other.TrimEnd('.')).ToList();
        var shown = count <= 3 ? first : [.. first.Take(2), $"{count - 2} more names"];
        var list = shown.Count == 1 ? shown[0] : $"{string.Join(", ", shown.Take(shown.Count - 1))} and {shown[^1]}";
        return $" The same {(remediation.Records.Count == 1 ? "record does" : "records do")} it for {list}: make the change once.";
    }

    private static int Served(RecordChange change) => change.NameCount ?? change.Names.Count;

    /// <summary>The worse of a name's own worst finding and the one about every name; of two equally bad, the earlier in the findings' order.</summary>
    private static Finding? Earlier((Finding Finding, int At)? own, (Finding Finding, int At)? every) => (own, every) switch
    {
        (null, null) => null,
        ({ } mine, null) => mine.Finding,
        (null, { } all) => all.Finding,
        ({ } mine, { } all) => Worse(all.Finding, mine.Finding) || (!Worse(mine.Finding, all.Finding) && all.At < mine.At) ? all.Finding : mine.Finding,
    };

    /// <summary>The more severe comes first; of equal severity, the one with a fix.</summary>
    private static bool Worse(Finding candidate, Finding known) =>
        candidate.Severity < known.Severity || (candidate.Severity == known.Severity && candidate.Remediation is not null && known.Remediation is null);

    /// <summary>What stands in the way of every name: the zone text's errors.</summary>
    private static bool IsZoneError(Finding finding) => finding.RuleId.StartsWith("ZONE", StringComparison.Ordinal) && finding.Severity <= Severity.Error;

    /// <param name="worst">The name's most severe finding; failing that, the zone text's worst error; none when the name has nothing.</param>
    private static string Answer(NameVerdict verdict, Finding? worst, DnsProvider provider, string ca, Func<RemediationRecord, RecordChange?> changeOf)
    {
        var name = verdict.Name.TrimEnd('.');
        if (worst is { RuleId: var zoneRule } && zoneRule.StartsWith("ZONE", StringComparison.Ordinal) && verdict.Verdict is Verdict.Blocked or Verdict.Inconclusive)
        {
            return $"Cannot judge {name} until the zone text is fixed: {Lower(worst.Title)}" +
                (worst.Location is { } line ? $" (line {line.Line})" : "") + "; correct it and diagnose again.";
        }

        var fix = worst?.Remediation is { Records.Count: > 0 } remediation ? Actions(remediation.Records, provider) : null;

        return verdict.Verdict switch
        {
            Verdict.Ok => worst is null || worst.Severity > Severity.Warning
                ? $"Nothing in DNS stops {ca} from issuing for {name}."
                : $"{ca} can issue for {name}; {Lower(worst.Title)}.",
            Verdict.Inconclusive => $"Could not tell whether {ca} can issue for {name}: {Lower(worst?.Title ?? "a lookup did not finish")}" +
                (fix is null ? "; try again, or paste the zone." : $"; meanwhile {fix}."),
            Verdict.AtRisk => $"{ca} should be able to issue for {name}, but {Lower(worst?.Title ?? "something is fragile")}" +
                (fix is null ? "." : $": {fix}."),
            _ => Blocked(name, worst, fix, ca, changeOf),
        };
    }

    private static string Blocked(string name, Finding? worst, string? fix, string ca, Func<RemediationRecord, RecordChange?> changeOf)
    {
        if (worst is null)
        {
            return $"{ca} will not issue for {name}.";
        }

        var opening = worst.RuleId switch
        {
            var id when id.StartsWith("CAA", StringComparison.Ordinal) => $"{ca} is not allowed to issue for {name}",
            var id when id.StartsWith("VAL", StringComparison.Ordinal) => $"ACM cannot validate {name}: {Lower(worst.Title)}",
            _ => $"{ca} will not issue for {name}: {Lower(worst.Title)}",
        };
        // A CAA fix adds beside the records already there; the grouped change knows which stay, and without it every record that is not removed does.
        var keepOthers = worst.RuleId.StartsWith("CAA", StringComparison.Ordinal) && KeepsOthers(worst.Remediation?.Records ?? [], changeOf) ? ", keep the others" : "";
        return fix is null ? opening + "." : $"{opening}: {fix}{keepOthers}.";
    }

    /// <summary>
    /// True when the fix adds CAA records and every one of them leaves others standing: those its grouped change keeps,
    /// or, without that, every record when the fix only adds.
    /// </summary>
    private static bool KeepsOthers(IReadOnlyList<RemediationRecord> records, Func<RemediationRecord, RecordChange?> changeOf)
    {
        var addsCaa = false;
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (record.Action != RecordAction.Add || record.Type != "CAA")
            {
                continue;
            }

            addsCaa = true;
            if (changeOf(record)?.Keep is { } keep ? keep.Count == 0 : !OnlyAdds(records))
            {
                return false;
            }
        }

        return addsCaa;
    }

    private static bool OnlyAdds(IReadOnlyList<RemediationRecord> records)
    {
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Action != RecordAction.Add)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>"add one CAA record and remove one at GoDaddy".</summary>
    /// <remarks>Counted in place, by action and type in the order first met (as a GroupBy would): the fix has a record or two.</remarks>
    private static string Actions(IReadOnlyList<RemediationRecord> records, DnsProvider provider)
    {
        var groups = new (RecordAction Action, string Type, int Count)[records.Count];
        var used = 0;
        for (var i = 0; i < records.Count; i++)
        {
            var at = 0;
            while (at < used && !(groups[at].Action == records[i].Action && string.Equals(groups[at].Type, records[i].Type, StringComparison.Ordinal)))
            {
                at++;
            }

            if (at == used)
            {
                groups[used++] = (records[i].Action, records[i].Type, 0);
            }

            groups[at].Count++;
        }

        var text = new System.Text.StringBuilder(64);
        for (var at = 0; at < used; at++)
        {
            var (action, type, count) = groups[at];
            text.Append(at == 0 ? "" : " and ").Append(Verb(action)).Append(' ').Append(Count(count)).Append(' ').Append(type).Append(" record").Append(count == 1 ? "" : "s");
        }

        return text.Append(" at ").Append(DisplayName(provider)).ToString();
    }

    public static string DisplayName(DnsProvider provider) => DnsProviders.DisplayName(provider);

    private static string Verb(RecordAction action) => action switch
    {
        RecordAction.Add => "add",
        RecordAction.Remove => "remove",
        _ => "change",
    };

    private static string Count(int n) => n switch
    {
        1 => "one",
        2 => "two",
        3 => "three",
        _ => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Lower(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1])
            ? string.Create(text.Length, text, static (lowered, title) =>
            {
                title.CopyTo(lowered);
                lowered[0] = char.ToLowerInvariant(title[0]);
            })
            : text;
}
