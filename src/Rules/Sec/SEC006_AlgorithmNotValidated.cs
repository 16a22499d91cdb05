using RulesApi.Dns.DnsSec;
using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Sec;

/// <summary>DNSKEY algorithms or DS digest types that validators must not use, do not know, or this service cannot check.</summary>
public sealed class SEC006_AlgorithmNotValidated : SecRule
{
    protected override string Id => "SEC006";

    protected override string Title => "A DNSKEY algorithm or DS digest type is not validated";

    protected override Severity DefaultSeverity => Severity.Warning;

    protected override string Summary =>
        "RFC 8624 lists which DNSSEC algorithms validators implement. Keys of an algorithm they must not use (RSAMD5, DSA, ECC-GOST) or do not know, and DS records with such digest types (GOST), make the zone count as unsigned — no protection, and a trap when the parent's DS uses one. Ed25519 and Ed448 are fine for resolvers but are not verified by this service.";

    /// <summary>Some key or DS uses an algorithm or digest validators must not use or do not know.</summary>
    private static readonly RuleMessage NotValidated = new("not-validated", Severity.Warning,
        "In {zone}, {problems}. Validators treat what depends on it as unsigned (or, if nothing else remains, the chain as broken).");

    /// <summary>Only keys that resolvers validate but this service does not verify (Ed25519, Ed448).</summary>
    private static readonly RuleMessage NotCheckedHere = new("not-checked-here", Severity.Notice,
        "In {zone}, {problems}. Resolvers validate it, but this service cannot, so its signature findings are incomplete.");

    protected override IReadOnlyList<RuleMessage> Messages => [NotValidated, NotCheckedHere];

    protected override IReadOnlyList<string> References => ["https://www.rfc-editor.org/rfc/rfc8624#section-3.1", "https://www.rfc-editor.org/rfc/rfc8624#section-3.3"];

    protected override Finding? Check(DiagnosisContext context, DnssecFacts zone)
    {
        if (zone.Keys.Count == 0 && zone.Ds.Count == 0)
        {
            return null; // nothing to check: found without the lists and iterators below
        }

        var keys = zone.Keys.Where(k => k.Data is DnsKeyData d && DnsSecCrypto.Algorithm(d.Algorithm) != AlgorithmSupport.Supported).ToList();
        var ds = zone.Ds.Where(r => r.Data is DsData d && (DnsSecCrypto.Digest(d.DigestType) != AlgorithmSupport.Supported || DnsSecCrypto.Algorithm(d.Algorithm) != AlgorithmSupport.Supported)).ToList();
        if (keys.Count == 0 && ds.Count == 0)
        {
            return null;
        }

        var parts = keys.Select(k => (DnsKeyData)k.Data).Select(k => $"key {DnsSecCrypto.KeyTag(k)} uses {DnsSecCrypto.AlgorithmName(k.Algorithm)} ({Describe(DnsSecCrypto.Algorithm(k.Algorithm))})")
            .Concat(ds.Select(r => (DsData)r.Data).Select(d => $"the DS for key {d.KeyTag} uses {DnsSecCrypto.DigestName(d.DigestType)} with {DnsSecCrypto.AlgorithmName(d.Algorithm)} ({Describe(DnsSecCrypto.Digest(d.DigestType) != AlgorithmSupport.Supported ? DnsSecCrypto.Digest(d.DigestType) : DnsSecCrypto.Algorithm(d.Algorithm))})"));
        var onlyNotChecked = keys.All(k => DnsSecCrypto.Algorithm(((DnsKeyData)k.Data).Algorithm) == AlgorithmSupport.NotCheckedHere) && ds.Count == 0;
        var arguments = new { zone = Show(zone.Apex), problems = string.Join("; ", parts) };
        var remediation = onlyNotChecked ? null : new Remediation("Roll the keys to ECDSAP256SHA256 (13) and publish DS records with SHA-256 (digest type 2).", []);
        return Report(zone.Apex, onlyNotChecked ? NotCheckedHere : NotValidated, arguments, Evidence(keys.Concat(ds)), remediation);
    }

    private static string Describe(AlgorithmSupport support) => support switch
    {
        AlgorithmSupport.Insecure => "validators must not use it",
        AlgorithmSupport.NotCheckedHere => "not verified by this service",
        _ => "not an assigned algorithm",
    };
}
