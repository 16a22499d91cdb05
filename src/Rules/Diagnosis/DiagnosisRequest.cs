using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.ZoneFiles;
using RulesApi.Fixtures;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Report;

namespace RulesApi.Rules.Diagnosis;

/// <summary>
/// What one diagnosis reads its DNS from — a closed choice: zone text, a built-in fixture scenario, or
/// live DNS through the configured servers.
/// </summary>
public abstract record DiagnosisInput
{
    private DiagnosisInput()
    {
    }

    /// <summary>
    /// Zone text in master-file format. <paramref name="Open"/> may be called more than once (an audit
    /// reads a zone again when it must keep every record), so a file is streamed, never held whole.
    /// <paramref name="Origin"/> is the zone's name when the text does not say it.
    /// </summary>
    public sealed record ZoneText(Func<TextReader> Open, DnsName? Origin) : DiagnosisInput
    {
        public static ZoneText FromString(string text, DnsName? origin) => new(() => new StringReader(text), origin) { Text = text };

        /// <summary>
        /// The zone text when it is already in memory (the API's bodies): then it is read with a block no larger than
        /// itself, instead of the 2 MB block a file read a block at a time needs — per request, and kept per thread by the pool.
        /// </summary>
        public string? Text { get; init; }

        /// <summary>
        /// The zone text as bytes that can be read from any place (a file, a buffered body): then a large zone is read in
        /// two parts at once (<see cref="MasterFileParser.Parse(ZoneBytes, ZoneParserOptions?)"/>).
        /// </summary>
        public ZoneBytes? Bytes { get; init; }
    }

    /// <summary>A named offline scenario, answered by its fixture view.</summary>
    public sealed record Fixture(FixtureScenario Scenario) : DiagnosisInput;

    /// <summary>The real DNS, from the root servers and resolvers the service (or the command line) is configured with.</summary>
    public sealed record Live : DiagnosisInput;
}

/// <summary>A validation record given directly: the CNAME's name and the value ACM asked for.</summary>
public sealed record GivenValidation(DnsName Name, DnsName Value);

/// <summary>
/// A diagnosis request, parsed: every field typed and checked (<see cref="DiagnosisRequestParser"/>
/// builds it from JSON, from <c>text/dns</c> with its query string, and from command-line arguments).
/// Nothing downstream parses again.
/// </summary>
public sealed record DiagnosisRequest(DiagnosisInput Input)
{
    /// <summary>The names to certify (wildcards allowed), as given; a certificate adds its own.</summary>
    public IReadOnlyList<DnsName> Names { get; init; } = [];

    public IReadOnlyList<GivenValidation> ValidationRecords { get; init; } = [];

    /// <summary>The certificate as <c>aws acm describe-certificate</c> printed it.</summary>
    public AcmCertificate? Certificate { get; init; }

    /// <summary>Where <see cref="Certificate"/> came from when the service fetched it (from ACM by ARN); null when the request carried it.</summary>
    public CertificateSource? CertificateSource { get; init; }

    /// <summary>The provider whose forms the fixes follow; null when not said (a fixture's own provider, else generic).</summary>
    public DnsProvider? Provider { get; init; }

    /// <summary>
    /// The CA that will issue, by id (<see cref="CertificateAuthorities"/>, or a profile's own); Amazon when
    /// not said. The Diagnoser resolves it, so that a profile's CAs count.
    /// </summary>
    public string? Ca { get; init; }

    /// <summary>The DS records the parent publishes for the zone (a zone audit checks the zone's keys against them).</summary>
    public IReadOnlyList<DsData> ParentDs { get; init; } = [];

    /// <summary>
    /// The owners that whole DS lines in <see cref="ParentDs"/> name, by field (<c>parentDs[1]</c>): each must be the zone's
    /// apex, which is known only once the zone text is read (its SOA may say it).
    /// </summary>
    public IReadOnlyList<(string Field, DnsName Owner)> ParentDsOwners { get; init; } = [];
}

/// <summary>
/// A field of the request that turned out wrong only once the diagnosis read its input (a zone whose
/// origin cannot be known, say): the caller answers it as a request error naming <see cref="Field"/>.
/// </summary>
public sealed class DiagnosisInputException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// The diagnosis's deadline passed before there was anything to report (the zone text was not yet read):
/// the API answers 504, the command line says so. Rules still running at the deadline are not this; they
/// become inconclusive findings in a report.
/// </summary>
public sealed class DiagnosisDeadlineException(TimeSpan deadline)
    : TimeoutException($"The diagnosis did not finish within its deadline of {deadline.TotalSeconds:0.#} s: the zone text could not be read in that time.")
{
    public TimeSpan Deadline { get; } = deadline;
}
