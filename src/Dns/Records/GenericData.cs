using System.Globalization;

namespace RulesApi.Dns.Records;

/// <summary>Data kept as opaque octets, written in the RFC 3597 form <c>\# length hex</c>.</summary>
public sealed record GenericData(byte[] Octets) : RecordData
{
    public override string ToString() => Octets.Length == 0
        ? @"\# 0"
        : string.Create(CultureInfo.InvariantCulture, $@"\# {Octets.Length} {Convert.ToHexString(Octets)}");
}

/// <summary>
/// Data of a registered type this project does not model, kept as the tokens it was written with.
/// It cannot be compared with the same data written differently; rules do not read it.
/// </summary>
public sealed record UnparsedData(string Text) : RecordData
{
    public override string ToString() => Text;
}
