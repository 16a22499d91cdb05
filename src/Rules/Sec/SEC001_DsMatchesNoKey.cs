using RulesApi.Dns.DnsSec;
using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Sec;

/// <summary>The parent's DS records match none of the zone's keys: the chain of trust is broken (typically a DS left behind after moving DNS providers).</summary>
public sealed class SEC001_DsMatchesNoKey : SecRule
{
    protected override string Id => "SEC001";

    protected override string Title => "The DS records at the registrar match none of the zone's keys";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "The DS records in the parent zone say which key signs the zone. When none of them matches a DNSKEY the zone publishes — usually because the DS was left at the registrar after moving DNS to another provider — validating resolvers, the CA's included, answer SERVFAIL for every name in the zone, and a CAA lookup that fails means the CA must refuse.";

    private static readonly RuleMessage NoMatchingKey = new("no-matching-key", Severity.Error,
        "The DS records {source} for {zone} name key {dsKeys}, but the zone publishes the keys {keys}: no DS matches a key. " +
        "Validating resolvers — the CA's included — treat every answer from the zone as bogus and return SERVFAIL, so the CAA check fails and ACM must refuse. " +
        "This usually happens when DNS moved to another provider and the old DS stayed at the registrar.");

    protected override IReadOnlyList<RuleMessage> Messages => [NoMatchingKey];

    protected override IReadOnlyList<string> References => [Rfc4035Validation, "https://www.rfc-editor.org/rfc/rfc4034#section-5", CabfCaa];

    protected override Finding? Check(DiagnosisContext context, DnssecFacts zone)
    {
        if (zone.Ds.Count == 0 || zone.Keys.Count == 0)
        {
            return null; // nothing to match (SEC002 tells DS without keys)
        }

        return Matched(zone);
    }

    /// <remarks>Apart from <see cref="Check"/>: its lambdas use the zone, and made a closure at every check, even of an unsigned zone.</remarks>
    private Finding? Matched(DnssecFacts zone)
    {
        var checkable = zone.Ds.Where(r => r.Data is DsData ds && DnsSecCrypto.Digest(ds.DigestType) == AlgorithmSupport.Supported).ToList();
        var keys = zone.ZoneKeys.ToList();
        if (checkable.Count == 0 || keys.Count == 0 || checkable.Any(r => keys.Any(k => DnsSecCrypto.Matches((DsData)r.Data, zone.Apex, k))))
        {
            return null;
        }

        var tags = string.Join(", ", keys.Select(k => $"{DnsSecCrypto.KeyTag(k)} ({DnsSecCrypto.AlgorithmName(k.Algorithm)}{(k.IsSecureEntryPoint ? ", KSK" : "")})"));
        var arguments = new
        {
            source = zone.DsSource,
            zone = Show(zone.Apex),
            dsKeys = string.Join(", ", checkable.Select(r => ((DsData)r.Data).KeyTag).Distinct()),
            keys = tags,
        };
        var entryKeys = keys.Where(k => k.IsSecureEntryPoint).DefaultIfEmpty(keys[0]).ToList();
        var replacements = entryKeys.Select(k => RemediationRecords.Make(RecordAction.Add, zone.Apex, RecordType.DS,
            new DsData(DnsSecCrypto.KeyTag(k), k.Algorithm, 2, DnsSecCrypto.DsDigest(zone.Apex, k, 2)!).ToString(), null, 3600));
        var remediation = new Remediation(
            $"At the registrar, remove the DS records of {Show(zone.Apex)}; to keep DNSSEC, add the DS of the zone's current key instead (or turn DNSSEC off there and on again at the DNS provider, which shows the DS to enter).",
            [.. zone.Ds.Select(r => RemediationRecords.Remove(r, null)), .. replacements]);
        return Report(zone.Apex, NoMatchingKey, arguments, Evidence(zone.Ds.Concat(zone.Keys)), remediation);
    }
}
