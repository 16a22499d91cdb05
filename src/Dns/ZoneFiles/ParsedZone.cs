using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>What the parser read from zone text: the records, in file order, and every problem met.</summary>
public sealed class ParsedZone
{
    public ParsedZone(DnsName? origin, IReadOnlyList<ResourceRecord> records, IReadOnlyList<ZoneDiagnostic> diagnostics, int lineCount,
        NameFingerprints? others = null, int? recordCount = null)
    {
        Origin = origin;
        Kept = records as KeptRecords ?? new KeptRecords(records);
        Diagnostics = diagnostics;
        LineCount = lineCount;
        Others = others ?? new NameFingerprints();
        RecordCount = recordCount ?? records.Count;
    }

    /// <summary>
    /// The zone's apex: the origin given to the parser, else the first <c>$ORIGIN</c>, else the
    /// owner of the first SOA record. Null when the text gave no way to know it.
    /// </summary>
    public DnsName? Origin { get; }

    /// <summary>The records kept, in file order: all of them unless <see cref="ZoneParserOptions.Keep"/> said otherwise.</summary>
    public IReadOnlyList<ResourceRecord> Records => Kept;

    /// <summary><see cref="Records"/>, with the readers that do not make a record (an audit holds name records compactly).</summary>
    public KeptRecords Kept { get; }

    /// <summary>Where records that were read but not kept stood, and of which types.</summary>
    public NameFingerprints Others { get; }

    /// <summary>How many records the text held, kept or not.</summary>
    public int RecordCount { get; }

    public IReadOnlyList<ZoneDiagnostic> Diagnostics { get; }

    public int LineCount { get; }

    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>How the text was read: whole, or in two parts (<see cref="MasterFileParser.Parse(ZoneBytes, ZoneParserOptions?)"/>).</summary>
    public ZoneReading ReadAs { get; internal set; }
}

/// <summary>How zone text was read. The records and problems are the same whichever it was.</summary>
public enum ZoneReading
{
    /// <summary>In one part: a small zone, text not given as bytes, or a split that fell inside an entry.</summary>
    Whole,

    /// <summary>In two parts at once, one on each core.</summary>
    TwoPartsAtOnce,

    /// <summary>
    /// In two parts, the later one after the earlier: its guess of how it starts was wrong (a directive after the zone's
    /// first entries), no thread was free to start it, or the errors of both parts reached the limit.
    /// </summary>
    TwoPartsOneAfterTheOther,
}

/// <summary>How the parser treats the text it is given.</summary>
public sealed record ZoneParserOptions
{
    /// <summary>The initial origin, as <c>named-checkzone</c>'s zone-name argument.</summary>
    public DnsName? Origin { get; init; }

    /// <summary>
    /// Which in-zone records to keep; the others are still read and checked, and only their owner and
    /// type are remembered (<see cref="ParsedZone.Others"/>). Null keeps everything. A zone audit keeps
    /// only the types its rules read, which is what lets it hold a million-record zone in memory. A large zone
    /// given as <see cref="ZoneBytes"/> is read in two parts at once: this is then called from two threads.
    /// </summary>
    public Func<RecordType, bool>? Keep { get; init; }

    /// <summary>
    /// With <see cref="Keep"/>: how many records are kept as objects before name records are held compactly
    /// (<see cref="KeptRecords"/>); a small zone's records stay objects.
    /// </summary>
    public int CompactAbove { get; init; } = KeptRecords.DefaultCompactAbove;

    /// <summary>After this many errors the parser stops and says so.</summary>
    public int MaxErrors { get; init; } = 100;

    /// <summary>
    /// Stops the reading (with <see cref="OperationCanceledException"/>): a request's deadline or its client
    /// going away ends the parse of a large zone too, not only the rules after it.
    /// </summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>
    /// Asked with <see cref="Cancellation"/> every few thousand entries; true stops the reading the same way. A deadline's
    /// token is cancelled by a timer, and timers fire on the thread pool: late, when every pool thread is busy with
    /// CPU-bound work. The clock behind this is not late.
    /// </summary>
    public Func<bool>? Expired { get; init; }
}
