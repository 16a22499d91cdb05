using RulesApi.Dns.Names;

namespace RulesApi.Dns.Records;

/// <summary>Data that is a single domain name: NS, CNAME, DNAME, PTR (RFC 1035 §3.3, RFC 6672).</summary>
public sealed record NameData(DnsName Target) : RecordData
{
    public override string ToString() => Target.Text;
}
