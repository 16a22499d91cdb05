using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using DnsClient;
using DnsClient.Protocol;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Dns.Live;

/// <summary>What came of sending one question: the response, or why there is none (no answer, or not sent).</summary>
/// <param name="LimitReached">True when a cap of the diagnosis, not the server, stopped it: it was never asked, or its answer was too large to read.</param>
/// <param name="Kind">Why there is no response: silence (of a server the configuration names, or another), a cap, or an address not asked.</param>
internal sealed record Exchange(IDnsQueryResponse? Response, string Failure = "", bool LimitReached = false, FailureKind Kind = FailureKind.Unclassified);

/// <summary>
/// Sends one question to one server and logs it: one attempt, the configured timeout, TCP when the
/// UDP answer is truncated, no cache. DnsClient does the work, except for the CD bit, which only
/// ARSoft's client can set. No answer at all (a timeout) is a failure, not an exception. Before
/// anything is sent, the address is checked (<see cref="AddressPolicy"/>) unless it is one the
/// configuration names (<paramref name="trusted"/>), and a query is taken from the diagnosis's budget;
/// a cancelled diagnosis sends nothing more.
/// </summary>
internal sealed class DnsTransport(LiveDnsOptions options, LiveQueryLog log, DiagnosisLimits limits, Func<IPEndPoint, bool> trusted)
{
    private readonly ConcurrentDictionary<(IPEndPoint, bool), LookupClient> _clients = new();

    /// <summary>
    /// Asks <paramref name="endpoint"/> one question, logged under <paramref name="label"/> and named in a
    /// failure as <paramref name="shownAs"/> ("ns1.example.com (192.0.2.53)"; the label when null).
    /// <paramref name="dnssecOk"/> sets the DO bit so signatures and denial proofs come back.
    /// </summary>
    public async Task<Exchange> SendAsync(IPEndPoint endpoint, string label, DnsName name, RecordType type, bool recursion, bool dnssecOk,
        CancellationToken cancellationToken, string? shownAs = null)
    {
        var shown = shownAs ?? label;
        if (NotSent(endpoint, shown, cancellationToken) is { } refused)
        {
            return refused;
        }

        using var span = DnsTelemetry.Query(endpoint, name, type, recursion);
        var clock = Stopwatch.StartNew();
        IDnsQueryResponse response;
        try
        {
            response = dnssecOk
                ? await Client(endpoint, recursion).QueryAsync(new DnsQuestion(name.Text, (QueryType)type.Value, QueryClass.IN),
                    new DnsQueryAndServerOptions(new NameServer(endpoint))
                    {
                        RequestDnsSecRecords = true,
                        Recursion = recursion,
                        UseCache = false,
                        Retries = 0,
                        Timeout = TimeSpan.FromMilliseconds(options.QueryTimeoutMs),
                        ThrowDnsErrors = false,
                        UseTcpFallback = true,
                        ContinueOnDnsError = false,
                        ContinueOnEmptyResponse = false
                    }, cancellationToken).ConfigureAwait(false)
                : await Client(endpoint, recursion).QueryAsync(name.Text, (QueryType)type.Value, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException) when (cancellationToken.IsCancellationRequested)
        {
            // The deadline, not the server: nothing to log, and nothing more to ask.
            throw new OperationCanceledException(cancellationToken);
        }
        catch (DnsResponseException error)
        {
            var timeout = new QueryLogEntry(label, name.Text, type.ToString(), $"timeout ({error.Code})", false, "", clock.ElapsedMilliseconds);
            log.Record(timeout);
            DnsTelemetry.Answered(span, timeout.Outcome);
            return new Exchange(null, ResponseCodes.NoAnswer(shown), Kind: Silence(endpoint));
        }

        var header = response.Header;
        var flags = string.Join(' ', new[] { (header.HasAuthorityAnswer, "aa"), (header.ResultTruncated, "tc"), (header.RecursionDesired, "rd"),
            (header.RecursionAvailable, "ra"), (header.IsAuthenticData, "ad"), (header.IsCheckingDisabled, "cd") }.Where(f => f.Item1).Select(f => f.Item2));
        log.Record(new QueryLogEntry(label, name.Text, type.ToString(), ResponseCodes.Name((int)header.ResponseCode), header.HasAuthorityAnswer, flags, clock.ElapsedMilliseconds));
        DnsTelemetry.Answered(span, ResponseCodes.Name((int)header.ResponseCode));
        if (response.MessageSize > options.MaxAnswerBytes)
        {
            return new Exchange(null, $"{shown} answered with {response.MessageSize} octets, more than the " +
                limits.Note($"{options.MaxAnswerBytes} octets this service reads of one answer (Dns:MaxAnswerBytes)"), LimitReached: true, Kind: FailureKind.LimitReached);
        }

        return new Exchange(response);
    }

    /// <summary>
    /// Why a question to <paramref name="endpoint"/> is not sent, or null when it may be: the diagnosis
    /// is over, the address is one the service does not query, or the query budget is spent.
    /// </summary>
    private Exchange? NotSent(IPEndPoint endpoint, string label, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!options.AllowPrivateAddresses && !trusted(endpoint) && AddressPolicy.WhyRefused(endpoint.Address) is { } why)
        {
            limits.Note($"a server at a {why} address was not asked (Dns:AllowPrivateAddresses)");
            DnsTelemetry.NotSent("refused-address");
            return new Exchange(null, $"{label} was not asked: {endpoint.Address} is a {why} address, which this service does not query " +
                "and ACM's resolvers cannot reach from the internet", Kind: FailureKind.BrokenData);
        }

        if (limits.TryTakeQuery())
        {
            return null;
        }

        DnsTelemetry.NotSent("budget-spent");
        return new Exchange(null, $"{label} was not asked: {limits.BudgetSpent}", LimitReached: true, Kind: FailureKind.LimitReached);
    }

    /// <summary>
    /// Whose silence a timeout is: the service's own when the server is one the configuration names (a
    /// root server it starts from, a resolver it asks), the zone's servers' otherwise.
    /// </summary>
    public FailureKind Silence(IPEndPoint endpoint) => trusted(endpoint) ? FailureKind.OwnServersSilent : FailureKind.ServersSilent;

    /// <summary>Asks a resolver one question with RD and CD set (DnsClient cannot set CD; ARSoft's client can); null with the reason when no answer came.</summary>
    public async Task<(ARSoft.Tools.Net.Dns.DnsMessage? Response, string Failure, FailureKind Kind)> SendCheckingDisabledAsync(IPEndPoint resolver, DnsName name, RecordType type,
        CancellationToken cancellationToken)
    {
        if (NotSent(resolver, resolver.Address.ToString(), cancellationToken) is { } refused)
        {
            return (null, refused.Failure, refused.Kind);
        }

        using var span = DnsTelemetry.Query(resolver, name, type, recursion: true);
        span?.SetTag("dns.checking_disabled", true);
        var clock = Stopwatch.StartNew();
        var client = new ARSoft.Tools.Net.Dns.DnsClient([resolver.Address],
            [new ARSoft.Tools.Net.Dns.UdpClientTransport(resolver.Port), new ARSoft.Tools.Net.Dns.TcpClientTransport(resolver.Port)], false, options.QueryTimeoutMs);
        var queryOptions = new ARSoft.Tools.Net.Dns.DnsQueryOptions { IsRecursionDesired = true, IsCheckingDisabled = true, IsEDnsEnabled = true };
        ARSoft.Tools.Net.Dns.DnsMessage? response;
        try
        {
            response = await client.ResolveAsync(ARSoft.Tools.Net.DomainName.Parse(name.Text), (ARSoft.Tools.Net.Dns.RecordType)type.Value,
                ARSoft.Tools.Net.Dns.RecordClass.INet, queryOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is System.Net.Sockets.SocketException or TimeoutException or IOException)
        {
            response = null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (response is null)
        {
            log.Record(new QueryLogEntry(resolver.ToString(), name.Text, type.ToString(), "timeout", false, "rd cd", clock.ElapsedMilliseconds));
            DnsTelemetry.Answered(span, "timeout");
            return (null, ResponseCodes.NoAnswer(resolver.Address.ToString()), Silence(resolver));
        }

        log.Record(new QueryLogEntry(resolver.ToString(), name.Text, type.ToString(), ResponseCodes.Name((int)response.ReturnCode), response.IsAuthoritiveAnswer,
            string.Join(' ', new[] { (response.IsAuthoritiveAnswer, "aa"), (response.IsTruncated, "tc"), (true, "rd"), (response.IsRecursionAllowed, "ra"), (response.IsAuthenticData, "ad"), (response.IsCheckingDisabled, "cd") }
                .Where(f => f.Item1).Select(f => f.Item2)),
            clock.ElapsedMilliseconds));
        DnsTelemetry.Answered(span, ResponseCodes.Name((int)response.ReturnCode));
        return (response, "", FailureKind.Unclassified);
    }

    /// <summary>DnsClient's records in our types, through their presentation form and our own parser.</summary>
    public static List<ResourceRecord> Convert(IEnumerable<DnsResourceRecord> records) => ConvertPresentation(records.Select(r => r.ToString()));

    /// <summary>Records in presentation form (as DnsClient and ARSoft print them) in our types.</summary>
    public static List<ResourceRecord> ConvertPresentation(IEnumerable<string> lines)
    {
        var text = string.Join('\n', lines);
        return text.Length == 0 ? [] : MasterFileParser.Parse(text + "\n", new ZoneParserOptions { Origin = DnsName.Root }).Records.ToList();
    }

    private LookupClient Client(IPEndPoint server, bool recursion) => _clients.GetOrAdd((server, recursion), key => new(new LookupClientOptions(new NameServer(key.Item1))
    {
        // Only the server named, never a cache beyond this diagnosis, one attempt per server.
        UseCache = false,
        Recursion = recursion,
        Retries = 0,
        Timeout = TimeSpan.FromMilliseconds(options.QueryTimeoutMs),
        ThrowDnsErrors = false,
        UseTcpFallback = true,
        ContinueOnDnsError = false,
        ContinueOnEmptyResponse = false,
    }));
}
