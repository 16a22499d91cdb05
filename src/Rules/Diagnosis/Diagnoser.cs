using System.Diagnostics;
using RulesApi.Dns.Live;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Dns.ZoneFiles;
using RulesApi.Fixtures;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Report;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Diagnosis;

/// <summary>How long a diagnosis may take: offline (zone text, fixtures) and live (from <see cref="LiveDnsOptions.DeadlineSeconds"/>).</summary>
public sealed record DiagnosisDeadlines(TimeSpan Offline, TimeSpan Live)
{
    public static readonly DiagnosisDeadlines Default = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
}

/// <summary>
/// The one place a diagnosis is assembled: from a parsed <see cref="DiagnosisRequest"/> it chooses the
/// DNS view (zone text, fixture scenario, live DNS), builds the subject, runs the engine and attaches
/// the query log. The API, the command line and the tests all come here.
/// </summary>
public sealed class Diagnoser
{
    private static readonly RecordType[] AlwaysKept =
        [RecordType.SOA, RecordType.NS, RecordType.CNAME, RecordType.DNAME, RecordType.CAA, RecordType.DS, RecordType.DNSKEY];

    private readonly RuleEngine _engine;
    private readonly RuleProfile _profile;
    private readonly LiveDnsOptions _live;
    private readonly SharedDnsCache _shared;
    private readonly DiagnosisDeadlines _deadlines;
    private readonly HashSet<RecordType> _auditTypes;

    /// <param name="live">The servers live diagnoses may ask (configuration, never request input).</param>
    public Diagnoser(RuleEngine engine, RuleProfile profile, LiveDnsOptions live, DiagnosisDeadlines? deadlines = null)
    {
        _engine = engine;
        _profile = profile;
        _live = live;
        // Every live diagnosis of this diagnoser shares what is learned of the zones above the customer's.
        _shared = new SharedDnsCache(live);
        _deadlines = deadlines ?? new DiagnosisDeadlines(DiagnosisDeadlines.Default.Offline, TimeSpan.FromSeconds(live.DeadlineSeconds));
        // An audit keeps in memory only the types the integrity checks and the catalog's rules read.
        _auditTypes = AlwaysKept.Concat(engine.Catalog.Rules.SelectMany(rule => rule.AuditRecordTypes)).ToHashSet();
    }

    /// <summary>
    /// When set, an audit keeps every record of the zone in memory instead of only the types some rule
    /// reads — for the test that shows both give the same report.
    /// </summary>
    public bool KeepEveryRecord { get; init; }

    /// <summary>
    /// Records an audit keeps as objects before it holds its name records compactly (<see cref="ZoneParserOptions.CompactAbove"/>);
    /// the tests set 0 to compare the compact store with objects on small zones.
    /// </summary>
    public int CompactRecordsAbove { get; init; } = KeptRecords.DefaultCompactAbove;

    /// <summary>
    /// Runs one diagnosis within its deadline, which covers reading the zone text as well as the rules:
    /// rules still running at the deadline become inconclusive findings, and a zone that cannot even be
    /// read by then ends in <see cref="DiagnosisDeadlineException"/>. Cancelling
    /// <paramref name="cancellationToken"/> (the client went away) stops the work wherever it is.
    /// </summary>
    public Task<DiagnosisReport> RunAsync(DiagnosisRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, TimeSpan.Zero, cancellationToken);

    /// <summary>The deadline a diagnosis of this input has in all (before anything is spent on it).</summary>
    public TimeSpan DeadlineFor(DiagnosisRequest request) => request.Input is DiagnosisInput.Live ? _deadlines.Live : _deadlines.Offline;

    /// <summary>
    /// Runs one diagnosis within what is left of its deadline once <paramref name="spent"/> is taken off:
    /// the time the request already spent on its way here (read, and waiting for a slot), so that the
    /// deadline is the whole request's, not only the part after it was admitted.
    /// </summary>
    public async Task<DiagnosisReport> RunAsync(DiagnosisRequest request, TimeSpan spent, CancellationToken cancellationToken)
    {
        var whole = DeadlineFor(request);
        var deadline = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (whole - spent).Ticks));
        var until = new Deadline(_engine.Clock, deadline);
        using var expiry = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        expiry.CancelAfter(deadline);
        // One span per diagnosis; the host's request span (when there is one) is its parent.
        using var span = RulesTelemetry.Source.StartActivity("diagnose");
        var started = Stopwatch.GetTimestamp();
        try
        {
            var report = await RunInputAsync(request, until, expiry.Token, cancellationToken).ConfigureAwait(false);
            span?.SetTag("rulesapi.source", RulesTelemetry.SourceTag(report.Source));
            span?.SetTag("rulesapi.verdict", RulesTelemetry.WorstVerdict(report));
            span?.SetTag("rulesapi.names", report.Names.Count + (report.NamesTruncated?.Omitted ?? 0));
            span?.SetTag("rulesapi.findings", report.Findings.Count);
            RulesTelemetry.Diagnosed(report, Stopwatch.GetElapsedTime(started));
            return request.CertificateSource is { } source ? report with { CertificateSource = source } : report;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && (expiry.IsCancellationRequested || until.Passed))
        {
            span?.SetStatus(ActivityStatusCode.Error, "deadline");
            throw new DiagnosisDeadlineException(whole);
        }
    }

    /// <param name="expiry">Cancelled at the deadline: stops what has no answer of its own to give by then (reading the zone).</param>
    /// <param name="cancellationToken">The caller's: the rules stop on it too, and their deadline is what is left of the diagnosis's.</param>
    /// <remarks>A ValueTask, as is <see cref="RunZoneAsync"/>: offline, the engine completes at once, and a Task each was garbage.</remarks>
    private async ValueTask<DiagnosisReport> RunInputAsync(DiagnosisRequest request, Deadline until, CancellationToken expiry, CancellationToken cancellationToken)
    {
        switch (request.Input)
        {
            case DiagnosisInput.ZoneText zone:
                return await RunZoneAsync(zone, SubjectOf(request), request.ParentDsOwners, until, expiry, cancellationToken).ConfigureAwait(false);
            case DiagnosisInput.Fixture fixture:
                var defaults = ScenarioRequests.GetValue(fixture.Scenario, ReadDefaults);
                var context = new DiagnosisContext(SubjectOf(WithDefaults(request, defaults)), FixtureView.Of(fixture.Scenario), profile: _profile);
                return await _engine.RunAsync(context, defaults.Source, until.Left, cancellationToken, deadlineToken: expiry).ConfigureAwait(false);
            default:
                return await RunLiveAsync(request, until, expiry, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>No zone text and no fixture: ask the real DNS, iterating from the configured root servers.</summary>
    /// <remarks>
    /// A method of its own: its lambda captures the subject, and the closure was made where the switch above begins, for
    /// every diagnosis, offline ones included.
    /// </remarks>
    private async Task<DiagnosisReport> RunLiveAsync(DiagnosisRequest request, Deadline until, CancellationToken expiry, CancellationToken cancellationToken)
    {
        var live = new LiveDnsView(_live, _shared);
        var subject = SubjectOf(request).WithValidatedNames();
        // The questions every zone's servers and the resolvers will be asked go out as early as they
        // can; whatever is still asking when the rules are done (or the deadline passes) stops then.
        using var asking = CancellationTokenSource.CreateLinkedTokenSource(expiry);
        live.Expect(EveryServerQuestions.For(subject), asking.Token);
        // Without a provider in the request, it is read from the delegation while the rules run
        // (only the forms and the plain answers, made after them, use it): no round trip is spent waiting.
        var detecting = request.Provider is null ? DetectProviderAsync(live, subject, expiry, cancellationToken) : Task.FromResult<ProviderDetection?>(null);
        var provider = detecting.ContinueWith(
            done => done.Result is { } found && DnsProviders.TryParse(found.Provider, out var detected) ? detected : subject.Provider,
            CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var liveContext = new DiagnosisContext(subject, live, profile: _profile);
        var report = await _engine.RunAsync(liveContext, "live", until.Left, cancellationToken, provider).ConfigureAwait(false);
        await asking.CancelAsync().ConfigureAwait(false);
        return report with { Queries = live.QueryLog, ProviderDetected = await detecting.ConfigureAwait(false) };
    }

    /// <summary>
    /// Without a provider in the request, a live diagnosis reads it from the name servers the first name's
    /// zone is delegated to (GoDaddy's domaincontrol.com, …; <see cref="DnsProviders"/>): the lookup is the
    /// one the NS rules make anyway, and the view keeps its answer. None when the servers are unknown,
    /// split between providers, or the lookup failed.
    /// </summary>
    /// <param name="expiry">The diagnosis's deadline: past it, no provider is detected (the forms are the generic ones).</param>
    private async Task<ProviderDetection?> DetectProviderAsync(LiveDnsView live, Subject subject, CancellationToken expiry, CancellationToken cancellationToken)
    {
        if (subject.Names.Count == 0)
        {
            return null;
        }

        var name = subject.Names[0];
        name = name.FirstLabel == "*" ? name.Parent : name;
        try
        {
            var zone = await live.FindZoneServersAsync(name, expiry).ConfigureAwait(false);
            return zone.Failure is null && DnsProviders.FromDelegation(zone.Delegation) is { } provider
                ? new ProviderDetection(DnsProviders.Name(provider), DnsProviders.DisplayName(provider), zone.Apex.Text, zone.Delegation.Select(ns => ns.Text.TrimEnd('.')).ToList())
                : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>When a diagnosis must be done, on the engine's clock.</summary>
    private readonly struct Deadline(TimeProvider clock, TimeSpan length)
    {
        private readonly long _started = clock.GetTimestamp();

        /// <summary>
        /// What is left of the deadline, at least a millisecond: a live diagnosis's engine times its rules by it. An offline
        /// diagnosis's engine uses this deadline's own token instead, so when the zone is read within a millisecond of the
        /// deadline its rules are all reported as not done.
        /// </summary>
        public TimeSpan Left => TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (length - clock.GetElapsedTime(_started)).Ticks));

        /// <summary>True once the deadline has passed by the clock, whether or not the timer that cancels its token has fired yet.</summary>
        public bool Passed => clock.GetElapsedTime(_started) >= length;
    }

    /// <summary>
    /// A request about a scenario takes the scenario's names, validation records and provider (the one
    /// its customer edits at) for what it does not say itself. Also how a test asks live DNS — the
    /// loopback server serving the scenario — the same question the fixture view is asked.
    /// </summary>
    public static DiagnosisRequest ScenarioDefaults(DiagnosisRequest request, FixtureScenario scenario) =>
        WithDefaults(request, ScenarioRequests.GetValue(scenario, ReadDefaults));

    private static DiagnosisRequest WithDefaults(DiagnosisRequest request, ScenarioRequestDefaults defaults) =>
        request with
        {
            Names = request.Names.Count > 0 || request.Certificate is not null ? request.Names : defaults.Names,
            ValidationRecords = request.ValidationRecords.Count > 0 ? request.ValidationRecords : defaults.ValidationRecords,
            Provider = request.Provider ?? defaults.Provider,
        };

    /// <summary>
    /// What a scenario's metadata says about names, validation records and provider, read once per scenario; and the report's
    /// source, <c>fixture:&lt;name&gt;</c>, which was written anew for every diagnosis.
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<FixtureScenario, ScenarioRequestDefaults> ScenarioRequests = new();

    private sealed record ScenarioRequestDefaults(IReadOnlyList<DnsName> Names, IReadOnlyList<GivenValidation> ValidationRecords, DnsProvider? Provider, string Source);

    private static ScenarioRequestDefaults ReadDefaults(FixtureScenario scenario) => new(
        scenario.Metadata.Domains.Select(d => DnsName.Parse(d.TrimEnd('.') + ".")).ToList(),
        (scenario.Metadata.ValidationRecords ?? [])
            .Select(r => AcmCertificate.TryRecordName(r.Name, out var name, out _) && AcmCertificate.TryRecordName(r.Value, out var value, out _)
                ? new GivenValidation(name, value)
                : throw new InvalidDataException($"scenario {scenario.Name}: bad validation record {r.Name}"))
            .ToList(),
        DnsProviders.TryParse(scenario.Metadata.Provider, out var own) ? own : null,
        "fixture:" + scenario.Name);

    /// <summary>The one place a subject is built from a request.</summary>
    private Subject SubjectOf(DiagnosisRequest request)
    {
        var names = DistinctNames(request.Names, request.Certificate?.Names ?? []);
        var ca = CaOf(request);
        return new Subject(names, ca.Identities)
        {
            CaName = ca.Name,
            Validations = ExpectedValidation.Collect(request.Certificate, request.ValidationRecords.Select(v => (v.Name, v.Value)), names),
            Certificate = request.Certificate,
            Provider = request.Provider ?? DnsProvider.Generic,
            ParentDs = request.ParentDs,
        };
    }

    /// <summary>
    /// The names given, then the certificate's, each once (the first spelling) in that order, as Distinct gives them; a
    /// request's few names are compared in place, without a set and two iterators per diagnosis.
    /// </summary>
    private static List<DnsName> DistinctNames(IReadOnlyList<DnsName> given, IReadOnlyList<DnsName> certificate)
    {
        var names = new List<DnsName>(given.Count + certificate.Count);
        var seen = names.Capacity > 16 ? new HashSet<DnsName>(names.Capacity) : null;
        foreach (var list in (ReadOnlySpan<IReadOnlyList<DnsName>>)[given, certificate])
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (seen?.Add(list[i]) ?? !names.Contains(list[i]))
                {
                    names.Add(list[i]);
                }
            }
        }

        return names;
    }

    /// <summary>The request's CA among the profile's own and the built-in ones; a CA neither knows is the field's mistake.</summary>
    private CertificateAuthority CaOf(DiagnosisRequest request)
    {
        if (request.Ca is not { } id)
        {
            return CertificateAuthorities.Amazon;
        }

        var own = _profile.CertificateAuthorities;
        return CertificateAuthorities.Find(id, own)
            ?? throw new DiagnosisInputException("ca", $"'{id}' is not a CA RulesApi knows: use {string.Join(", ", CertificateAuthorities.Ids(own))}.");
    }

    /// <summary>
    /// Names against zone text, or — with neither names nor validation records — an audit of the zone:
    /// its integrity, the apex and every name that holds its own CAA set.
    /// </summary>
    private async ValueTask<DiagnosisReport> RunZoneAsync(DiagnosisInput.ZoneText input, Subject subject, IReadOnlyList<(string Field, DnsName Owner)> parentDsOwners,
        Deadline until, CancellationToken expiry, CancellationToken cancellationToken)
    {
        var audit = subject.Names.Count == 0 && subject.Validations.Count == 0;
        var keep = audit && !KeepEveryRecord && !LooksSigned(input) ? _auditTypes : null;
        using var parsing = RulesTelemetry.Source.StartActivity("parse zone");
        var parsed = Parse(input, new ZoneParserOptions
        {
            Origin = input.Origin,
            Keep = keep is null ? null : keep.Contains,
            CompactAbove = CompactRecordsAbove,
            Cancellation = expiry,
            Expired = () => until.Passed,
        });

        if (parsed.Origin is not { } apex)
        {
            throw new DiagnosisInputException("origin",
                "The zone text does not say which zone it is (no $ORIGIN and no SOA with a full name): give 'origin', e.g. example.com.");
        }

        foreach (var (field, owner) in parentDsOwners)
        {
            if (!owner.Equals(apex))
            {
                // Checked against this zone's keys, another zone's DS would be reported as this zone's (SEC001, SEC002).
                throw new DiagnosisInputException(field, $"is a DS record of {owner}, not of the zone {apex} (give the DS records the parent publishes for this zone)");
            }
        }

        var zone = ZoneInput.From(parsed, apex);
        if (keep is not null && (zone.Problems.Any(p => p.Kind == ZoneProblemKind.CnameAndOtherData) || Dns.DnsSec.ZoneSignatures.IsSigned(zone.Data)
            || UnkeptRecordsRepeatTheZone(zone.Data)))
        {
            // The records that share a name with a CNAME were not kept, and the finding must show them with
            // their lines; a signed zone's signatures cover every record; and a name that repeats the zone's
            // name is reported with all its records (VAL010). Read the text again keeping everything: only
            // such zones pay for it.
            parsed = Parse(input, new ZoneParserOptions { Origin = input.Origin, Cancellation = expiry, Expired = () => until.Passed });
            zone = ZoneInput.From(parsed, apex);
        }

        parsing?.SetTag("rulesapi.zone.records", parsed.RecordCount);
        parsing?.SetTag("rulesapi.zone.read", parsed.ReadAs switch
        {
            ZoneReading.TwoPartsAtOnce => "two parts at once",
            ZoneReading.TwoPartsOneAfterTheOther => "two parts, one after the other",
            _ => "whole",
        });
        parsing?.Dispose();
        var context = new DiagnosisContext(audit ? subject with { Names = AuditNames(zone.Data) } : subject.WithValidatedNames(),
            new ZoneView(zone.Data), zone, _profile);
        return await _engine.RunAsync(context, audit ? "zone-audit" : "zone", until.Left, cancellationToken, deadlineToken: expiry).ConfigureAwait(false);
    }

    /// <summary>
    /// True when a record the audit did not keep is at or below the zone's name written twice
    /// (<c>www.example.com.example.com.</c>): VAL010 shows every record at such a name. The records it kept are at hand;
    /// and the names between a record that was not kept and the apex are remembered, so one lookup tells (a sample zone
    /// whose only such name is a validation CNAME, which is kept, is not read twice).
    /// </summary>
    private static bool UnkeptRecordsRepeatTheZone(ZoneData zone) =>
        !zone.Apex.IsRoot && DnsName.TryParse(zone.Apex.Text + zone.Apex.Text, out var doubled, out _) && zone.HasUnkeptAtOrBelow(doubled);

    /// <summary>
    /// Zone text in memory is read with a block sized to it; bytes that can be read from any place (a file, a buffered body)
    /// in two parts at once when large; a reader a block at a time.
    /// </summary>
    private static ParsedZone Parse(DiagnosisInput.ZoneText input, ZoneParserOptions options)
    {
        if (input.Text is { } text)
        {
            return MasterFileParser.Parse(text, options);
        }

        if (input.Bytes is { } bytes)
        {
            return MasterFileParser.Parse(bytes, options);
        }

        using var reader = input.Open();
        return MasterFileParser.Parse(reader, options);
    }

    private const int SignedLookahead = 64 * 1024;

    /// <summary>
    /// True when the start of the zone text mentions DNSKEY or RRSIG: signatures cover every record, so
    /// such a zone is read keeping everything from the start rather than read twice.
    /// </summary>
    private static bool LooksSigned(DiagnosisInput.ZoneText input)
    {
        if (input.Text is { } whole)
        {
            return MentionsSignatures(whole.AsSpan(0, Math.Min(whole.Length, SignedLookahead)));
        }

        // From the pool: a fresh 128 KB array per audit would go to the large object heap every time.
        var start = System.Buffers.ArrayPool<char>.Shared.Rent(SignedLookahead);
        try
        {
            using var reader = input.Open();
            var length = reader.ReadBlock(start, 0, SignedLookahead);
            return MentionsSignatures(start.AsSpan(0, length));
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(start);
        }
    }

    private static bool MentionsSignatures(ReadOnlySpan<char> text) =>
        text.Contains("DNSKEY", StringComparison.OrdinalIgnoreCase) || text.Contains("RRSIG", StringComparison.OrdinalIgnoreCase);

    /// <summary>An audit checks the apex and every name that holds its own CAA set.</summary>
    public static IReadOnlyList<DnsName> AuditNames(ZoneData zone) =>
        zone.CaaOwners
            .Where(owner => owner != zone.Apex && zone.DelegationCovering(owner) is null)
            .Order()
            .Prepend(zone.Apex)
            .ToList();
}
