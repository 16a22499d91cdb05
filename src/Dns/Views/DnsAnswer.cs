using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.Views;

public enum AnswerStatus
{
    /// <summary>Records of the asked type exist (possibly after CNAMEs).</summary>
    Answer,

    /// <summary>The name exists but has no records of that type (NOERROR, empty answer).</summary>
    NoData,

    /// <summary>The name does not exist (NXDOMAIN).</summary>
    NameError,

    /// <summary>The answer could not be had: a server failure, a timeout, a refusal.</summary>
    Failure,

    /// <summary>The question cannot be answered from this view (outside the zone, below a delegation).</summary>
    NotCheckable,
}

/// <summary>
/// The answer to one question. <see cref="Records"/> holds the answer section: the CNAME chain, if
/// any, then the records of the asked type at <see cref="FinalName"/>. DNS failures are data here.
/// </summary>
public sealed record DnsAnswer(
    DnsName Question,
    RecordType Type,
    AnswerStatus Status,
    IReadOnlyList<ResourceRecord> Records,
    DnsName FinalName,
    string? Detail = null,
    ResourceRecord? Soa = null)
{
    /// <summary>The DNSSEC records of the authority section (NSEC, NSEC3 and their RRSIGs) when they were asked for with the DO bit.</summary>
    public IReadOnlyList<ResourceRecord> Proof { get; init; } = [];

    /// <summary>
    /// True when the answer is missing because a cap of the diagnosis was reached (its query budget, say),
    /// not because of anything a server did: <see cref="Detail"/> names the cap.
    /// </summary>
    public bool LimitReached { get; init; }

    /// <summary>For a failure, why: which servers failed and how (<see cref="FailureKind"/>), for rules to decide whom it blames.</summary>
    public FailureKind FailedBecause { get; init; }

    /// <summary>The records of the asked type, without the CNAME chain that led to them.</summary>
    /// <remarks>
    /// Rules read it many times per diagnosis: when every record is of the asked type (no chain, the usual case)
    /// it is <see cref="Records"/> itself rather than a copy. Not cached in a field: <c>with</c> would carry it over.
    /// </remarks>
    public IReadOnlyList<ResourceRecord> Matching => AllOf(Type) ? Records : OfType(Type);

    /// <summary>The CNAME records followed to reach <see cref="FinalName"/>.</summary>
    public IReadOnlyList<ResourceRecord> CnameChain => Type == RecordType.CNAME || NoneOf(RecordType.CNAME)
        ? []
        : OfType(RecordType.CNAME);

    /// <summary>The records of one type, in a loop: a filter's closure and iterator per read were garbage.</summary>
    private List<ResourceRecord> OfType(RecordType type)
    {
        var found = new List<ResourceRecord>();
        for (var i = 0; i < Records.Count; i++)
        {
            if (Records[i].Type == type)
            {
                found.Add(Records[i]);
            }
        }

        return found;
    }

    private bool AllOf(RecordType type)
    {
        for (var i = 0; i < Records.Count; i++)
        {
            if (Records[i].Type != type)
            {
                return false;
            }
        }

        return true;
    }

    private bool NoneOf(RecordType type)
    {
        for (var i = 0; i < Records.Count; i++)
        {
            if (Records[i].Type == type)
            {
                return false;
            }
        }

        return true;
    }

    private uint LongestTtl()
    {
        var longest = Records[0].Ttl;
        for (var i = 1; i < Records.Count; i++)
        {
            longest = Math.Max(longest, Records[i].Ttl);
        }

        return longest;
    }

    public bool Succeeded => Status is AnswerStatus.Answer or AnswerStatus.NoData or AnswerStatus.NameError;

    /// <summary>
    /// How long a resolver may keep this answer: the longest TTL in the chain for an answer, and for
    /// NXDOMAIN or NODATA min(SOA TTL, SOA MINIMUM) (RFC 2308 §5). Null when there was no answer, or no SOA came with a negative one.
    /// </summary>
    public uint? CacheTtl => Status switch
    {
        AnswerStatus.Answer when Records.Count > 0 => LongestTtl(),
        AnswerStatus.NoData or AnswerStatus.NameError when Soa is { Data: SoaData soa } => Math.Min(Soa.Ttl, soa.Minimum),
        _ => null,
    };
}
