using System.Globalization;
using RulesApi.Dns.Names;

namespace RulesApi.Dns.Records;

/// <summary>Where a record (or a problem) stands in a zone file: 1-based line and column.</summary>
public readonly record struct SourceLocation(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}

/// <summary>One resource record, with where it came from when it was read from zone text.</summary>
public sealed record ResourceRecord(DnsName Owner, RecordType Type, RecordClass Class, uint Ttl, RecordData Data, SourceLocation? Location = null)
{
    /// <summary>The record as one master-file line: owner, TTL, class, type, data.</summary>
    public string ToZoneLine() =>
        string.Create(CultureInfo.InvariantCulture, $"{Owner.Text} {Ttl} {Class} {Type} {Data}");

    public override string ToString() => ToZoneLine();
}
