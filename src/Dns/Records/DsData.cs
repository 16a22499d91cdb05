using System.Globalization;

namespace RulesApi.Dns.Records;

/// <summary>DS and CDS data (RFC 4034 §5, RFC 7344).</summary>
public sealed record DsData(ushort KeyTag, byte Algorithm, byte DigestType, byte[] Digest) : RecordData
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{KeyTag} {Algorithm} {DigestType} {PresentationText.Hex(Digest)}");
}
