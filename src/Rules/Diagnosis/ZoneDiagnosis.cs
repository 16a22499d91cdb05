using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Dns.ZoneFiles;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Diagnosis;

/// <summary>Diagnoses names against zone text, or audits the zone when no names are given.</summary>
public sealed class ZoneDiagnosis
{
    private readonly RuleEngine _engine;

    public ZoneDiagnosis(RuleEngine engine)
    {
        _engine = engine;
    }

    /// <summary>
    /// Parses the text and runs the rules. Returns null when the zone's origin cannot be known (no
    /// origin given, no <c>$ORIGIN</c>, no SOA with an absolute owner): that is the caller's to supply.
    /// </summary>
    public Task<DiagnosisReport?> RunAsync(string zoneText, DnsName? origin, Subject subject, RuleProfile profile,
        TimeSpan deadline, CancellationToken cancellationToken, bool keepAllRecords = false) =>
        RunAsync(() => new StringReader(zoneText), origin, subject, profile, deadline, cancellationToken, keepAllRecords);

    /// <summary>
    /// The same, reading the zone from a reader a block at a time (a file, say), so that a large zone is
    /// never held in memory whole. <paramref name="openZone"/> may be called twice (see below).
    /// </summary>
    public async Task<DiagnosisReport?> RunAsync(Func<TextReader> openZone, DnsName? origin, Subject subject, RuleProfile profile,
        TimeSpan deadline, CancellationToken cancellationToken, bool keepAllRecords = false)
    {
        // With validation records but no names, the names are those the records validate; with neither, the zone is audited.
        var audit = subject.Names.Count == 0 && subject.Validations.Count == 0;
        var keep = audit && !keepAllRecords && !LooksSigned(openZone) ? AuditTypes() : null;
        ParsedZone parsed;
        using (var reader = openZone())
        {
            parsed = MasterFileParser.Parse(reader, new ZoneParserOptions { Origin = origin, Keep = keep is null ? null : keep.Contains });
        }

        if (parsed.Origin is not { } apex)
        {
            return null;
        }

        var zone = ZoneInput.From(parsed, apex);
        if (keep is not null && (zone.Problems.Any(p => p.Kind == ZoneProblemKind.CnameAndOtherData) || Dns.DnsSec.ZoneSignatures.IsSigned(zone.Data)))
        {
            // The records that share a name with a CNAME were not kept, and the finding must show them with
            // their lines; and a signed zone's signatures cover every record. Read the text again keeping
            // everything: only zones with that error, or signed zones, pay for it.
            using var again = openZone();
            parsed = MasterFileParser.Parse(again, new ZoneParserOptions { Origin = origin });
            zone = ZoneInput.From(parsed, apex);
        }
        var context = new DiagnosisContext(audit ? subject with { Names = AuditNames(zone.Data) } : subject.WithValidatedNames(),
            new ZoneView(zone.Data), zone, profile);
        return await _engine.RunAsync(context, audit ? "zone-audit" : "zone", deadline, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// True when the start of the zone text mentions DNSKEY or RRSIG: signatures cover every record, so
    /// such a zone is read keeping everything from the start rather than read twice.
    /// </summary>
    private static bool LooksSigned(Func<TextReader> openZone)
    {
        using var reader = openZone();
        var start = new char[64 * 1024];
        var length = reader.ReadBlock(start, 0, start.Length);
        var text = start.AsSpan(0, length);
        return text.Contains("DNSKEY", StringComparison.OrdinalIgnoreCase) || text.Contains("RRSIG", StringComparison.OrdinalIgnoreCase);
    }

    private static readonly RecordType[] AlwaysKept =
        [RecordType.SOA, RecordType.NS, RecordType.CNAME, RecordType.DNAME, RecordType.CAA, RecordType.DS, RecordType.DNSKEY];

    /// <summary>The types an audit keeps: those the integrity checks and the catalog's rules read.</summary>
    private HashSet<RecordType> AuditTypes() =>
        AlwaysKept.Concat(_engine.Catalog.Rules.SelectMany(rule => rule.AuditRecordTypes)).ToHashSet();

    /// <summary>An audit checks the apex and every name that holds its own CAA set.</summary>
    public static IReadOnlyList<DnsName> AuditNames(ZoneData zone) =>
        zone.CaaOwners
            .Where(owner => owner != zone.Apex && zone.DelegationCovering(owner) is null)
            .Order()
            .Prepend(zone.Apex)
            .ToList();
}
