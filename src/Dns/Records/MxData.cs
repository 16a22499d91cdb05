using System.Globalization;
using RulesApi.Dns.Names;

namespace RulesApi.Dns.Records;

/// <summary>MX data (RFC 1035 §3.3.9).</summary>
public sealed record MxData(ushort Preference, DnsName Exchange) : RecordData
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Preference} {Exchange.Text}");
}
