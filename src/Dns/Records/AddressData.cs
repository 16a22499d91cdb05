using System.Net;

namespace RulesApi.Dns.Records;

/// <summary>A (RFC 1035 §3.4.1) or AAAA (RFC 3596) data: one address.</summary>
public sealed record AddressData(IPAddress Address) : RecordData
{
    public override string ToString() => Address.ToString();
}
