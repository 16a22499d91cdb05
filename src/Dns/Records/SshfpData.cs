using System.Globalization;

namespace RulesApi.Dns.Records;

/// <summary>SSHFP data (RFC 4255).</summary>
public sealed record SshfpData(byte Algorithm, byte FingerprintType, byte[] Fingerprint) : RecordData
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Algorithm} {FingerprintType} {PresentationText.Hex(Fingerprint)}");
}
