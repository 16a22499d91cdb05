using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Validation;

/// <summary>
/// Zone text holds a name that repeats the zone's own name (<c>_x.www.example.com.example.com.</c>,
/// <c>www.example.com.example.com.</c>), or a CNAME whose target does: the full name was typed into a
/// form that adds the zone itself. Found from the zone alone — no validation records needed — with the
/// record as it was meant.
/// </summary>
public sealed class VAL010_ZoneNameTypedTwice : Rule
{
    protected override string Id => "VAL010";

    protected override string Title => "A name in the zone has the zone's name twice";

    protected override string Family => "VAL";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "Provider forms add the zone to the name typed in their Host field. A full name typed there becomes <name>.<zone>.<zone> — for an ACM validation CNAME, a record ACM never looks at. Found in the zone text alone, with the record as it was meant.";

    private static readonly RuleMessage ValidationOwner = new("validation-owner", Severity.Error,
        "The ACM validation CNAME {owner} has the zone name {zone} twice, so ACM, which looks up {meant}, never finds it. " +
        "The provider's form adds the zone to what is typed in the Host field: type only '{host}' there.");

    private static readonly RuleMessage Owner = new("owner", Severity.Warning,
        "{owner} has the zone name {zone} twice; it was meant to be {meant}. " +
        "The provider's form adds the zone to what is typed in the Host field: type only '{host}' there.");

    private static readonly RuleMessage Target = new("target", Severity.Warning,
        "The CNAME {owner} points at {target}, which has the zone name {zone} twice; it was meant to be {meant}. " +
        "A value typed without a final dot is read as a name inside the zone: type it with the final dot, or as the provider's form shows it.");

    protected override IReadOnlyList<RuleMessage> Messages => [ValidationOwner, Owner, Target];

    protected override IReadOnlyList<string> References =>
        ["https://docs.aws.amazon.com/acm/latest/userguide/troubleshooting-DNS-validation.html", "https://www.rfc-editor.org/rfc/rfc1035#section-5.1"];

    public override bool AppliesTo(DiagnosisContext context) => context.Zone is not null;

    public override ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken)
    {
        var zone = context.Zone!.Data;
        var apex = zone.Apex;
        if (apex.IsRoot || !DnsName.TryParse(apex.Text + apex.Text, out var doubled, out _))
        {
            return ValueTask.FromResult<IReadOnlyList<Finding>>([]);
        }

        // VAL002 already reports a doubled record that the request's own validation records expected.
        var expected = context.Subject.Validations.Select(v => v.Name).ToHashSet();
        var findings = new List<Finding>();
        var seen = new HashSet<DnsName>();
        // By text: an audit holds its records compactly, and only the owners that pass are made.
        foreach (var owner in zone.OwnersWhere((text, labels) => DnsName.IsSubdomainOf(text, labels, doubled)).Order())
        {
            seen.Add(owner);
            var meant = Strip(owner, apex);
            var records = zone.At(owner);
            var host = RemediationRecords.HostField(meant, apex);
            var remedy = new Remediation($"Delete the records at {Show(owner)} and create them with Host '{host}'",
                [.. records.Select(r => RemediationRecords.Remove(r, apex)), .. records.Select(r => Corrected(r, meant, apex, doubled))]);
            var isValidation = ExpectedValidation.HasAcmToken(owner) && records.Any(r => r.Type == RecordType.CNAME);
            if (isValidation && expected.Contains(meant))
            {
                continue;
            }

            var arguments = new { owner = Show(owner), zone = Show(apex), meant = Show(meant), host };
            findings.Add(isValidation
                ? Report(meant.Parent, ValidationOwner, arguments, Evidence(records), remedy, records[0].Location)
                : Report(meant, Owner, arguments, Evidence(records), remedy, records[0].Location));
        }

        foreach (var record in zone.CnamesWhere((text, labels) => DnsName.IsSubdomainOf(text, labels, doubled)))
        {
            var owner = record.Owner;
            var target = ((NameData)record.Data).Target;
            // An ACM value with the zone appended is VAL008's (zone-appended), which gives the value ACM gave.
            if (seen.Contains(owner) || ExpectedValidation.HasAcmToken(owner))
            {
                continue;
            }

            var meant = Strip(target, apex);
            var remedy = new Remediation($"Point {Show(owner)} at {Show(meant)}",
                [RemediationRecords.Remove(record, apex), RemediationRecords.Make(RecordAction.Add, owner, RecordType.CNAME, meant.Text, apex)]);
            findings.Add(Report(owner, Target, new { owner = Show(owner), target = Show(target), zone = Show(apex), meant = Show(meant) },
                [record.ToZoneLine()], remedy, record.Location));
        }

        return ValueTask.FromResult<IReadOnlyList<Finding>>(findings);
    }

    /// <summary>The name without its second copy of the zone: www.example.com.example.com. → www.example.com.</summary>
    public static DnsName Strip(DnsName name, DnsName apex) => DnsName.Parse(name.Text[..^apex.Text.Length]);

    // The same record at the name it was meant to have; a CNAME target that repeats the zone, or an ACM value
    // with the zone appended, is put right too.
    private static RemediationRecord Corrected(ResourceRecord record, DnsName meant, DnsName apex, DnsName doubled)
    {
        var value = record.Data.ToString();
        if (record.Data is NameData { Target: var target } && record.Type == RecordType.CNAME)
        {
            var acmAppended = target.Text.EndsWith(".acm-validations.aws." + apex.Text, StringComparison.OrdinalIgnoreCase);
            value = acmAppended || target.IsSubdomainOf(doubled) ? Strip(target, apex).Text : target.Text;
        }

        return RemediationRecords.Make(RecordAction.Add, meant, record.Type, value, apex);
    }
}
