using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Ttl;

/// <summary>CAA or validation records with a long TTL: a correction takes that long to be seen.</summary>
public sealed class TTL001_LongTtlOnCaaOrValidation : TtlRule
{
    public static readonly RuleOption MaxTtl = new("maxTtl", 3600, 0, 604800, "The longest TTL, in seconds, a CAA set or validation CNAME may have without a finding.");

    protected override string Id => "TTL001";

    protected override string Title => "CAA or validation records have a long TTL";

    protected override Severity DefaultSeverity => Severity.Notice;

    protected override string Summary =>
        "Resolvers keep a record for its TTL. A CAA set or validation CNAME with a TTL above the threshold (3600 s by default; profile threshold 'maxTtl') means a correction to it takes that long to reach resolvers that already asked — ACM's included. 300 s is a good TTL for records you may still have to fix.";

    protected override IReadOnlyList<RuleOption> Options => [MaxTtl];

    private const string LongTtl =
        " at {owner} has a TTL of {ttl}, above {threshold}: " +
        "if it has to be corrected, resolvers that already asked — ACM's included — keep the old one for up to {ttl}. " +
        "Lower the TTL to {suggested} s while the certificate is being set up.";

    private static readonly RuleMessage CaaSet = new("caa-set", Severity.Notice, "The CAA set" + LongTtl);

    private static readonly RuleMessage ValidationCname = new("validation-cname", Severity.Notice, "The validation CNAME" + LongTtl);

    protected override IReadOnlyList<RuleMessage> Messages => [CaaSet, ValidationCname];

    protected override IReadOnlyList<string> References => ["https://www.rfc-editor.org/rfc/rfc1035#section-3.2.1", "https://www.rfc-editor.org/rfc/rfc8659#section-3"];

    public override async ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken)
    {
        var threshold = Option(context, MaxTtl);
        // Each RRset once, with the names its TTL concerns. Only sets with a TTL above the threshold are kept (each call
        // gives a whole set, and a set is the same whichever name it is reached from): a healthy zone's are all left out,
        // and nothing is made for them, not even the dictionary.
        Dictionary<(DnsName, RecordType), (List<ResourceRecord> Records, HashSet<DnsName> Names)>? sets = null;
        void Add(IReadOnlyList<ResourceRecord> records, DnsName concerned)
        {
            if (!AnyLongerThan(records, threshold))
            {
                return;
            }

            sets ??= [];
            foreach (var record in records)
            {
                if (!sets.TryGetValue((record.Owner, record.Type), out var set))
                {
                    sets[(record.Owner, record.Type)] = set = ([], []);
                }

                if (!set.Records.Contains(record))
                {
                    set.Records.Add(record);
                }

                set.Names.Add(concerned);
            }
        }

        if (context.Zone is { } zone)
        {
            // An audit looks at every CAA set and every CNAME shaped like ACM's, each for its own name.
            foreach (var owner in zone.Data.CaaOwners)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Add(zone.Data.At(owner, RecordType.CAA), owner);
            }

            foreach (var owner in zone.Data.CnameOwnersWhere(static (text, _) => ExpectedValidation.HasAcmToken(text)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                Add(zone.Data.At(owner, RecordType.CNAME), owner.Parent);
            }
        }
        else
        {
            // By index (a foreach over the interfaces made an enumerator each), and a validation CNAME's TTL looked at
            // before it is made into a set of one for each of its names.
            var names = context.Subject.Names;
            for (var i = 0; i < names.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Add((await RelevantCaaSet.For(context, names[i], cancellationToken).ConfigureAwait(false)).Records, names[i]);
            }

            var validations = context.Subject.Validations;
            for (var i = 0; i < validations.Count; i++)
            {
                var expected = validations[i];
                var facts = await ValidationFacts.For(context, expected, cancellationToken).ConfigureAwait(false);
                if (facts.Record is { } record && record.Ttl > threshold)
                {
                    foreach (var domain in expected.Domains)
                    {
                        Add([record], domain);
                    }
                }
            }
        }

        return sets is null ? [] : Report(sets, threshold, context.Zone?.Data.Apex);
    }

    /// <remarks>Apart from <see cref="EvaluateAsync"/>: its lambdas use the apex, and made a closure at every diagnosis, finding or not.</remarks>
    private List<Finding> Report(Dictionary<(DnsName, RecordType), (List<ResourceRecord> Records, HashSet<DnsName> Names)> sets, double threshold, DnsName? apex)
    {
        var findings = new List<Finding>();
        foreach (var ((owner, type), (records, names)) in sets)
        {
            var ttl = records.Max(r => r.Ttl);
            if (ttl <= threshold)
            {
                continue;
            }

            var what = type == RecordType.CAA ? "CAA set" : "validation CNAME";
            var arguments = new
            {
                owner = Show(owner),
                ttl = FixVisibility.Duration(ttl),
                threshold = FixVisibility.Duration((uint)threshold),
                suggested = RemediationRecords.SuggestedTtl,
            };
            var remediation = new Remediation($"Lower the TTL of the {what} at {Show(owner)} to {RemediationRecords.SuggestedTtl} s",
                records.Select(r => RemediationRecords.Make(RecordAction.Change, r.Owner, r.Type, r.Data.ToString()!, apex)).ToList());
            var location = records[0].Location;
            findings.AddRange(names.Select(name => Report(name, type == RecordType.CAA ? CaaSet : ValidationCname, arguments, Evidence(records), remediation, location)));
        }

        return findings;
    }

    private static bool AnyLongerThan(IReadOnlyList<ResourceRecord> records, double threshold)
    {
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Ttl > threshold)
            {
                return true;
            }
        }

        return false;
    }
}
