using System.Globalization;

namespace RulesApi.Dns.Records;

/// <summary>TLSA and SMIMEA data (RFC 6698 §2, RFC 8162).</summary>
public sealed record TlsaData(byte Usage, byte Selector, byte MatchingType, byte[] Association) : RecordData
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Usage} {Selector} {MatchingType} {PresentationText.Hex(Association)}");
}
