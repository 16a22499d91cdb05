using System.Globalization;
using RulesApi.Dns.Names;

namespace RulesApi.Dns.Records;

/// <summary>RRSIG data (RFC 4034 §3). Times are seconds since the epoch (serial arithmetic applies).</summary>
public sealed record RrsigData(RecordType TypeCovered, byte Algorithm, byte Labels, uint OriginalTtl,
    uint Expiration, uint Inception, ushort KeyTag, DnsName SignerName, byte[] Signature) : RecordData
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{TypeCovered} {Algorithm} {Labels} {OriginalTtl} {FormatTime(Expiration)} {FormatTime(Inception)} {KeyTag} {SignerName.Text} {PresentationText.Base64(Signature)}");

    /// <summary>RFC 4034 §3.2: YYYYMMDDHHmmSS in UTC.</summary>
    public static string FormatTime(uint seconds) =>
        DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
}
