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
    /// <summary>Stands in <see cref="_line"/> for "no location": no line of a text is numbered so.</summary>
    private const int NoLine = int.MinValue;

    // The location as two numbers rather than a SourceLocation? (12 bytes with its flag): 8 bytes less per
    // record, which an audit that keeps the CNAMEs of a million-record zone holds a couple of hundred thousand of.
    private readonly int _line = Location?.Line ?? NoLine;
    private readonly int _column = Location?.Column ?? 0;

    public SourceLocation? Location
    {
        get => _line == NoLine ? null : new SourceLocation(_line, _column);
        init => (_line, _column) = value is { } at ? (at.Line, at.Column) : (NoLine, 0);
    }

    /// <summary>The record as one master-file line: owner, TTL, class, type, data.</summary>
    public string ToZoneLine() => ToZoneLine(Data.ToString());

    /// <summary>The record as one master-file line, for a caller that has its data's text already (<c>Data.ToString()</c>), which is not made again.</summary>
    public string ToZoneLine(string dataText) =>
        string.Create(CultureInfo.InvariantCulture, $"{Owner.Text} {Ttl} {Class} {Type} {dataText}");

    /// <summary>
    /// The record's master-file line followed by a comment with the line of the zone text it came from, when it came from
    /// one: as evidence shows it. One string, where the line and then the line with its comment were two.
    /// </summary>
    public string ToZoneLineWithSource() => _line == NoLine
        ? ToZoneLine()
        : string.Create(CultureInfo.InvariantCulture, $"{Owner.Text} {Ttl} {Class} {Type} {Data}    ; line {_line}");

    public override string ToString() => ToZoneLine();
}
