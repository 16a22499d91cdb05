using System.Globalization;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Rules.Contract;

/// <summary>Builds remediation records in the forms people type them: BIND line and provider "Host" field.</summary>
public static class RemediationRecords
{
    public const uint SuggestedTtl = 300;

    public static RemediationRecord Make(RecordAction action, DnsName name, RecordType type, string value, DnsName? zoneApex, uint ttl = SuggestedTtl) =>
        new(action, name.Text, HostField(name, zoneApex), type.ToString(), ttl, value,
            string.Create(CultureInfo.InvariantCulture, $"{name.Text} {ttl} IN {type} {value}"));

    public static RemediationRecord Remove(ResourceRecord record, DnsName? zoneApex)
    {
        var value = record.Data.ToString();
        return new(RecordAction.Remove, record.Owner.Text, HostField(record.Owner, zoneApex), record.Type.ToString(), record.Ttl, value, record.ToZoneLine(value));
    }

    /// <summary>
    /// The name as provider forms want it: relative to the zone, without the zone's own name and
    /// without a trailing dot, and <c>@</c> for the apex. With no known zone, the full name.
    /// </summary>
    public static string HostField(DnsName name, DnsName? zoneApex)
    {
        if (zoneApex is null || !name.IsSubdomainOf(zoneApex))
        {
            return name.Text.TrimEnd('.');
        }

        if (name == zoneApex)
        {
            return "@";
        }

        return name.Text[..(name.Text.Length - zoneApex.Text.Length - 1)];
    }
}
