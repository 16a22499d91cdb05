using System.Globalization;

namespace RulesApi.Dns.Records;

/// <summary>DNSKEY and CDNSKEY data (RFC 4034 §2).</summary>
public sealed record DnsKeyData(ushort Flags, byte Protocol, byte Algorithm, byte[] PublicKey) : RecordData
{
    public bool IsZoneKey => (Flags & 0x0100) != 0;

    public bool IsSecureEntryPoint => (Flags & 0x0001) != 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Flags} {Protocol} {Algorithm} {PresentationText.Base64(PublicKey)}");
}
