using RulesApi.Dns.Records;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;

namespace RulesApi.Rules.Validation;

/// <summary>The validation name answers with addresses: a proxied or flattened record (Cloudflare's orange cloud).</summary>
public sealed class VAL006_AddressesInsteadOfCname : ValidationRule
{
    protected override string Id => "VAL006";

    protected override string Title => "The validation name answers with addresses instead of the CNAME";

    protected override Severity DefaultSeverity => Severity.Error;

    protected override string Summary =>
        "ACM must see the CNAME itself. A provider that proxies or flattens the record (Cloudflare's orange cloud, ALIAS/ANAME records) answers with IP addresses instead, and ACM never sees the validation value.";

    private static readonly RuleMessage Addresses = new("addresses", Severity.Error, Expects +
        ", but {name} answers with addresses ({addresses}). " +
        "That is what a proxied (Cloudflare: orange cloud) or flattened record looks like from outside. Set the record to 'DNS only', or replace the address records by the CNAME.");

    protected override IReadOnlyList<RuleMessage> Messages => [Addresses];

    protected override IReadOnlyList<string> References => [AcmDnsValidation, "https://developers.cloudflare.com/dns/proxy-status/"];

    protected override Finding? Check(ValidationFacts facts)
    {
        if (facts.OtherData.Count == 0)
        {
            return null; // the usual case, found without a filter's iterator and list
        }

        var addresses = facts.OtherData.Where(r => r.Type == RecordType.A || r.Type == RecordType.AAAA).ToList();
        return facts.Record is not null || addresses.Count == 0 ? null : Found(facts, addresses);
    }

    /// <remarks>Apart from <see cref="Check"/>: its lambdas use the facts, and made a closure at every check, finding or not.</remarks>
    private Finding Found(ValidationFacts facts, List<ResourceRecord> addresses)
    {
        var (name, value) = Expected(facts);
        var arguments = new { name, value, addresses = string.Join(", ", addresses.Select(r => r.Data.ToString())) };
        return Report(facts.Expected.Domain, Addresses, arguments, Evidence(addresses),
            new Remediation($"Publish {Show(facts.Expected.Name)} as a plain CNAME (proxy off, no flattening)",
                addresses.Select(r => RemediationRecords.Remove(r, facts.ZoneApex)).Append(AddExpected(facts)).ToList()),
            addresses[0].Location);
    }
}
