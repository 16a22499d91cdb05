using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Facts;

/// <summary>
/// What DNS says about one expected validation record, gathered once per diagnosis and shared by the
/// VAL rules: the CNAME at the expected name, other data there, the same record at the name doubled by
/// a provider's "Host" field, and (with zone text) the same token or value at other names.
/// </summary>
public sealed record ValidationFacts(
    ExpectedValidation Expected,
    DnsAnswer Cname,
    IReadOnlyList<ResourceRecord> OtherData,
    DnsName? ZoneApex,
    DnsName? DoubledName,
    ResourceRecord? Doubled,
    IReadOnlyList<ResourceRecord> TokenElsewhere,
    IReadOnlyList<ResourceRecord> ValueElsewhere,
    DnsName? Delegation,
    IReadOnlyList<ResourceRecord> RecordsBelowDelegation)
{
    /// <summary>The CNAME at the expected name itself (not reached through another CNAME).</summary>
    /// <remarks>A loop: the VAL rules read it a dozen times per diagnosis, and a lambda that used this record made a delegate each time.</remarks>
    public ResourceRecord? Record
    {
        get
        {
            if (Cname.Status != AnswerStatus.Answer)
            {
                return null;
            }

            var records = Cname.Records;
            for (var i = 0; i < records.Count; i++)
            {
                if (records[i].Type == RecordType.CNAME && records[i].Owner == Expected.Name)
                {
                    return records[i];
                }
            }

            return null;
        }
    }

    public bool Matches => Record is { Data: NameData data } && data.Target == Expected.Value;

    /// <summary>True when the expected name could not be looked up (outside the zone, below a delegation, a failure).</summary>
    public bool NotCheckable => Cname.Status is AnswerStatus.NotCheckable or AnswerStatus.Failure;

    public static Task<ValidationFacts> For(DiagnosisContext context, ExpectedValidation expected, CancellationToken cancellationToken) =>
        context.Memo(new ValidationFactsKey(expected.Name), (context, expected, cancellationToken), static s => Gather(s.context, s.expected, s.cancellationToken));

    /// <summary>
    /// A sibling of the doubled name that nobody would create, to tell a wildcard from a real record there: its label is
    /// "_rulesapi-probe-" and twelve hex digits from a stable hash of the doubled name (64-bit FNV-1a), the same in every
    /// process, so the same diagnosis asks the same questions each time and an offline view's answers can be kept
    /// (FixtureView). Written in one piece: the parent, the label and the name made apart were four strings a diagnosis.
    /// </summary>
    private static DnsName? ProbeBeside(DnsName doubled)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in doubled.Text)
        {
            hash = (hash ^ char.ToLowerInvariant(c)) * 1099511628211UL;
        }

        Span<char> label = stackalloc char[12];
        (hash & 0xFFFF_FFFF_FFFF).TryFormat(label, out _, "x12", System.Globalization.CultureInfo.InvariantCulture);
        var text = string.Concat("_rulesapi-probe-", label, ".", DnsName.ParentText(doubled.Text));
        return DnsName.TryParse(text, out var probe, out _) ? probe : null;
    }

    private static async ValueTask<ValidationFacts> Gather(DiagnosisContext context, ExpectedValidation expected, CancellationToken cancellationToken)
    {
        var view = context.View;
        // The domain once: each read of it makes the name anew (its parent's text is cut from the record's name).
        var domain = expected.Domain;
        var apex = context.Zone?.Data.Apex ?? RegistrableGuess(domain);
        // None when the name typed twice would be longer than a name can be: no record can be there (nor one checked below).
        var doubledName = NameTypedTwice(expected.Name, apex);
        // A wildcard would answer at any name: a sibling of the doubled name tells one from a real record. When no
        // sibling fits in a name (a validation name of a short first label, nearly 255 octets doubled), a wildcard cannot
        // be ruled out, so the doubled name is not asked about either: a wildcard's answer is not a record to delete.
        var probeName = doubledName is null ? null : ProbeBeside(doubledName);
        if (probeName is null)
        {
            doubledName = null;
        }

        // The questions are asked at once: against live DNS each one costs round trips. Other data at the
        // name is asked for only when there is no CNAME, since those answers would chase the CNAME's target.
        // Each answer is awaited once, after every question is out (a ValueTask each: no task when the view has the answer).
        ValueTask<DnsAnswer> Ask(DnsName name, RecordType type) => view.QueryAsync(name, type, cancellationToken);
        var cnameTask = Ask(expected.Name, RecordType.CNAME);
        ValueTask<DnsAnswer>? doubledTask = doubledName is null ? null : Ask(doubledName, RecordType.CNAME);
        ValueTask<DnsAnswer>? probeTask = probeName is null ? null : Ask(probeName, RecordType.CNAME);
        // Sized to the ancestors asked about below (none with zone text): the default growth made room for four.
        var ancestorTasks = new List<ValueTask<DnsAnswer>>(context.Zone is null ? Math.Max(0, domain.LabelCount - Math.Max(2, apex.LabelCount)) : 0);
        if (context.Zone is null)
        {
            // Without zone text, ask at the places a misplaced record usually lands: the token under each
            // ancestor of the domain (the apex instead of www).
            for (var ancestor = domain.Parent; ancestor.LabelCount >= 2 && ancestor.LabelCount >= apex.LabelCount; ancestor = ancestor.Parent)
            {
                ancestorTasks.Add(Ask(ancestor.Prepend(expected.Token), RecordType.CNAME));
            }
        }

        // The lists of what was found are made at the first record found: usually nothing is, and three empty lists (and a
        // filter's closure and iterator) were garbage of every diagnosis.
        var cname = await cnameTask.ConfigureAwait(false);
        List<ResourceRecord>? other = null;
        if (cname.Status == AnswerStatus.Answer && context.Zone?.Data is { } zoneData)
        {
            // A CNAME with other data beside it: resolvers answer unpredictably (RFC 2181 §10.1).
            foreach (var record in zoneData.At(expected.Name))
            {
                if (record.Type != RecordType.CNAME && record.Type != RecordType.RRSIG && record.Type != RecordType.NSEC)
                {
                    (other ??= []).Add(record);
                }
            }
        }
        else if (cname.Status != AnswerStatus.Answer)
        {
            var (txt, a, aaaa) = (Ask(expected.Name, RecordType.TXT), Ask(expected.Name, RecordType.A), Ask(expected.Name, RecordType.AAAA));
            foreach (var answer in (ReadOnlySpan<DnsAnswer>)[await txt.ConfigureAwait(false), await a.ConfigureAwait(false), await aaaa.ConfigureAwait(false)])
            {
                var matching = answer.Matching;
                for (var i = 0; i < matching.Count; i++)
                {
                    if (matching[i].Owner == expected.Name)
                    {
                        (other ??= []).Add(matching[i]);
                    }
                }
            }
        }

        ResourceRecord? doubled = null;
        if (doubledTask is { } askedDoubled && await askedDoubled.ConfigureAwait(false) is { Status: AnswerStatus.Answer } doubledAnswer
            && probeTask is { } askedProbe && (await askedProbe.ConfigureAwait(false)).Status != AnswerStatus.Answer)
        {
            doubled = doubledAnswer.Records.FirstOrDefault(r => r.Type == RecordType.CNAME);
        }

        List<ResourceRecord>? tokenElsewhere = null;
        List<ResourceRecord>? valueElsewhere = null;
        if (context.Zone?.Data is { } zone)
        {
            foreach (var owner in zone.CnameOwners)
            {
                if (owner == expected.Name || owner == doubledName)
                {
                    continue;
                }

                foreach (var record in zone.At(owner, RecordType.CNAME))
                {
                    if (string.Equals(owner.FirstLabel, expected.Token, StringComparison.OrdinalIgnoreCase))
                    {
                        (tokenElsewhere ??= []).Add(record);
                    }
                    else if (((NameData)record.Data).Target == expected.Value)
                    {
                        (valueElsewhere ??= []).Add(record);
                    }
                }
            }
        }
        else
        {
            foreach (var asked in ancestorTasks)
            {
                var probe = await asked.ConfigureAwait(false);
                for (var i = 0; i < probe.Records.Count; i++)
                {
                    if (probe.Records[i].Type == RecordType.CNAME && probe.Records[i].Owner == probe.Question)
                    {
                        (tokenElsewhere ??= []).Add(probe.Records[i]);
                    }
                }
            }
        }

        // Records at a name below a zone cut are in the file but never served from this zone.
        var delegation = context.Zone?.Data.DelegationCovering(expected.Name);
        var belowDelegation = delegation is null ? [] : context.Zone!.Data.At(expected.Name);
        return new ValidationFacts(expected, cname, other ?? [], context.Zone?.Data.Apex, doubledName, doubled, tokenElsewhere ?? [], valueElsewhere ?? [],
            delegation, belowDelegation);
    }

    /// <summary>
    /// The validation name with the zone's name written after it again, as a provider's "Host" field makes of a full name.
    /// Two names in canonical form joined are canonical: without escapes their text is one octet short of their wire
    /// length, so only a name with escapes, or one too long, is parsed (a parse per diagnosis showed in its profile).
    /// </summary>
    /// <remarks>Null when the two together are longer than a name may be (255 octets): no record can be at such a name.</remarks>
    private static DnsName? NameTypedTwice(DnsName name, DnsName apex)
    {
        var text = name.Text + apex.Text;
        if (!apex.IsRoot && !text.Contains('\\', StringComparison.Ordinal) && text.Length + 1 <= DnsName.MaxNameOctets)
        {
            return DnsName.FromCanonical(text, name.LabelCount + apex.LabelCount);
        }

        return DnsName.TryParse(text, out var parsed, out _) ? parsed : null;
    }

    // Without zone text, the zone is most likely the last two labels (example.com); issue 4's live view knows better.
    private static DnsName RegistrableGuess(DnsName name)
    {
        var current = name;
        while (current.LabelCount > 2)
        {
            current = current.Parent;
        }

        return current;
    }
}

/// <summary>The memo key of what DNS says at one validation record's name.</summary>
internal readonly record struct ValidationFactsKey(DnsName Name);
