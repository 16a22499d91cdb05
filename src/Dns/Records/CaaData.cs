using System.Globalization;

namespace RulesApi.Dns.Records;

/// <summary>
/// CAA data (RFC 8659 §4.1): flags, a property tag and its value. The value is kept exactly as
/// published (characters are octets), because a CA interprets it byte for byte and our rules must
/// point at the character that breaks it.
/// </summary>
public sealed record CaaData(byte Flags, string Tag, string Value) : RecordData
{
    /// <summary>The issuer-critical flag, bit 0 of the flags octet (value 128).</summary>
    public bool IsCritical => (Flags & 0x80) != 0;

    /// <remarks>A plain value (nearly all are) is quoted in place: the record's zone line is written for evidence and fixes again and again.</remarks>
    public override string ToString() => PresentationText.IsPlain(Value)
        ? string.Create(CultureInfo.InvariantCulture, $"{Flags} {Tag} \"{Value}\"")
        : string.Create(CultureInfo.InvariantCulture, $"{Flags} {Tag} {PresentationText.Quote(Value)}");
}
