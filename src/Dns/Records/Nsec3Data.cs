using System.Globalization;

namespace RulesApi.Dns.Records;

/// <summary>NSEC3 data (RFC 5155 §3). The next hashed owner is kept in base32hex, upper case.</summary>
public sealed record Nsec3Data(byte HashAlgorithm, byte Flags, ushort Iterations, byte[] Salt, string NextHashedOwner,
    IReadOnlyList<RecordType> Types) : RecordData
{
    public override string ToString()
    {
        var head = string.Create(CultureInfo.InvariantCulture,
            $"{HashAlgorithm} {Flags} {Iterations} {PresentationText.Hex(Salt)} {NextHashedOwner}");
        return Types.Count == 0 ? head : head + " " + PresentationText.TypeList(Types);
    }
}

/// <summary>NSEC3PARAM data (RFC 5155 §4).</summary>
public sealed record Nsec3ParamData(byte HashAlgorithm, byte Flags, ushort Iterations, byte[] Salt) : RecordData
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{HashAlgorithm} {Flags} {Iterations} {PresentationText.Hex(Salt)}");
}
