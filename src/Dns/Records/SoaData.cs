using System.Globalization;
using RulesApi.Dns.Names;

namespace RulesApi.Dns.Records;

/// <summary>SOA data (RFC 1035 §3.3.13). <see cref="Minimum"/> is the negative-caching TTL bound (RFC 2308 §4).</summary>
public sealed record SoaData(DnsName PrimaryServer, DnsName Mailbox, uint Serial, uint Refresh, uint Retry, uint Expire, uint Minimum) : RecordData
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{PrimaryServer.Text} {Mailbox.Text} {Serial} {Refresh} {Retry} {Expire} {Minimum}");
}
