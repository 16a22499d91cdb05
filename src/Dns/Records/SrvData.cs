using System.Globalization;
using RulesApi.Dns.Names;

namespace RulesApi.Dns.Records;

/// <summary>SRV data (RFC 2782).</summary>
public sealed record SrvData(ushort Priority, ushort Weight, ushort Port, DnsName Target) : RecordData
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Priority} {Weight} {Port} {Target.Text}");
}
