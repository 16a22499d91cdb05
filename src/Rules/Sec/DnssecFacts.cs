using RulesApi.Dns.DnsSec;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Rules.Engine;

namespace RulesApi.Rules.Sec;

/// <summary>
/// DNSSEC facts about one zone of the diagnosis: the DS set its parent publishes (or the request gives,
/// for a zone audit), the zone's DNSKEY set, and — with zone text — every signature and the denial chain.
/// </summary>
public sealed record DnssecFacts(
    DnsName Apex,
    IReadOnlyList<ResourceRecord> Ds,
    /// <summary>Where the DS records come from, as prose after "The DS records": "in the parent zone", "given with the request".</summary>
    string DsSource,
    IReadOnlyList<ResourceRecord> Keys,
    ZoneSignatures? Signatures,
    IReadOnlyList<DnsName> Names,
    IReadOnlyList<RrsetVerdict>? Checked = null,
    TrustState? Trust = null,
    IReadOnlyList<DenialProblem>? DenialOverDns = null)
{
    /// <summary>
    /// Where the proof of non-existence fails: with zone text, the whole NSEC/NSEC3 chain; over DNS, the
    /// NSEC records that must prove "no CAA here" at each level of the climb inside this zone.
    /// </summary>
    public IReadOnlyList<DenialProblem> Denial => Signatures?.Denial ?? DenialOverDns ?? [];

    /// <summary>
    /// The RRsets whose signatures were checked: with zone text, every RRset of the zone; over DNS, the
    /// ones the diagnosis depends on — the zone's DNSKEY set, the relevant CAA sets and the validation
    /// CNAMEs in this zone — against the zone's own keys (the DS link above them is SEC001's).
    /// </summary>
    public IReadOnlyList<RrsetVerdict> Rrsets => Signatures?.Rrsets ?? Checked ?? [];

    public IEnumerable<DnsKeyData> ZoneKeys => Keys.Select(k => k.Data).OfType<DnsKeyData>().Where(k => k.IsZoneKey);

    public static Task<IReadOnlyList<DnssecFacts>> For(DiagnosisContext context, CancellationToken cancellationToken) =>
        context.Memo("sec:facts", () => Gather(context, cancellationToken));

    private static async Task<IReadOnlyList<DnssecFacts>> Gather(DiagnosisContext context, CancellationToken cancellationToken)
    {
        if (context.Zone is { } zone)
        {
            var data = zone.Data;
            var signatures = ZoneSignatures.IsSigned(data) ? ZoneSignatures.Check(data, context.Clock.GetUtcNow()) : null;
            var names = context.Subject.Names.Count > 0 ? context.Subject.Names : [data.Apex];
            var ds = context.Subject.ParentDs.Select(d => new ResourceRecord(data.Apex, RecordType.DS, RecordClass.IN, 3600, d)).ToList();
            return [new DnssecFacts(data.Apex, ds, "given with the request", data.At(data.Apex, RecordType.DNSKEY), signatures, names)];
        }

        if (context.View is not IServerView servers)
        {
            return [];
        }

        var lookups = context.Subject.Names.Select(n => n.IsWildcard ? n.Parent : n).Distinct().ToList();
        var zones = await Task.WhenAll(lookups.Select(n => servers.FindZoneServersAsync(n, cancellationToken).AsTask())).ConfigureAwait(false);
        var result = new List<DnssecFacts>();
        foreach (var group in lookups.Zip(zones).Where(pair => pair.Second.Failure is null && !pair.Second.Apex.IsRoot).GroupBy(pair => pair.Second.Apex))
        {
            var ds = context.View.QueryAsync(group.Key, RecordType.DS, cancellationToken).AsTask();
            var keys = context.View.QueryAsync(group.Key, RecordType.DNSKEY, cancellationToken).AsTask();
            var names = context.Subject.Names.Where(n => group.Any(pair => pair.First == (n.IsWildcard ? n.Parent : n))).ToList();
            var keySet = (await keys.ConfigureAwait(false)).Matching;
            // The signatures and proofs are fetched while the chain of trust is followed; they are judged
            // only under a secure chain: in an insecure or unknown zone validators do not check them either.
            var signaturesTask = keySet.Count == 0 ? Task.FromResult<IReadOnlyList<(IReadOnlyList<ResourceRecord>, DnsAnswer)>>([])
                : FetchSignatures(context, group.Key, keySet, names, cancellationToken);
            var denialTask = keySet.Count == 0 ? Task.FromResult<IReadOnlyList<(DnsName, DnsAnswer, DnsAnswer)>>([])
                : FetchDenial(context, group.Key, names, cancellationToken);
            var trust = await ChainOfTrust.For(context, servers, group.Key, cancellationToken).ConfigureAwait(false);
            var secure = trust.Status == TrustStatus.Secure;
            var now = context.Clock.GetUtcNow();
            var verdicts = secure ? JudgeSignatures(group.Key, trust.Keys, await signaturesTask.ConfigureAwait(false), now) : [];
            var denial = secure ? JudgeDenial(group.Key, trust.Keys, await denialTask.ConfigureAwait(false), now) : [];
            result.Add(new DnssecFacts(group.Key, (await ds.ConfigureAwait(false)).Matching, "in the parent zone", keySet, null, names, verdicts, trust, denial));
        }

        return result;
    }

    /// <summary>
    /// The NSEC proof behind each "no CAA here" the climb received inside this zone, at names that exist:
    /// an NSEC question at each level and an RRSIG question, all at once. A name that does not exist is
    /// proven by a covering NSEC elsewhere, which this does not fetch.
    /// </summary>
    private static async Task<IReadOnlyList<(DnsName, DnsAnswer, DnsAnswer)>> FetchDenial(DiagnosisContext context, DnsName apex,
        IReadOnlyList<DnsName> names, CancellationToken cancellationToken)
    {
        var levels = new HashSet<DnsName>();
        foreach (var name in names)
        {
            var set = await Caa.RelevantCaaSet.For(context, name, cancellationToken).ConfigureAwait(false);
            levels.UnionWith(set.Checked.Where(level => level != set.Owner && level.IsSubdomainOf(apex)));
        }

        var ordered = levels.OrderBy(l => l.Text, StringComparer.OrdinalIgnoreCase).ToList();
        var nsec3 = context.View.QueryAsync(apex, RecordType.NSEC3PARAM, cancellationToken).AsTask();
        var nsecs = ordered.Select(l => context.View.QueryAsync(l, RecordType.NSEC, cancellationToken).AsTask()).ToList();
        var signatures = ordered.Select(l => context.View.QueryAsync(l, RecordType.RRSIG, cancellationToken).AsTask()).ToList();
        await Task.WhenAll(nsecs.Concat(signatures).Append(nsec3)).ConfigureAwait(false);

        // A zone denied by NSEC3 has no NSEC records to ask for; its hashed proofs are not checked over DNS.
        return nsec3.Result.Status != AnswerStatus.NoData && nsec3.Result.Matching.Count > 0
            ? []
            : ordered.Select((level, i) => (level, nsecs[i].Result, signatures[i].Result)).ToList();
    }

    /// <summary>Each proof must exist, be signed by the zone's validated keys, and not list CAA.</summary>
    private static IReadOnlyList<DenialProblem> JudgeDenial(DnsName apex, IReadOnlyList<ZoneKey> keys, IReadOnlyList<(DnsName Level, DnsAnswer Nsec, DnsAnswer Signatures)> proofs, DateTimeOffset now)
    {
        var problems = new List<DenialProblem>();
        foreach (var (level, nsec, signatures) in proofs)
        {
            if (nsec.Status == AnswerStatus.NameError || !nsec.Succeeded || nsec.CnameChain.Count > 0)
            {
                continue; // no such name (a covering NSEC proves it), or the question failed: nothing proven either way
            }

            if (nsec.Matching.FirstOrDefault(r => r.Owner == level) is not { Data: NsecData data } record)
            {
                problems.Add(new DenialProblem(level, $"{level.Text} has no NSEC record, so \"no CAA here\" cannot be proven"));
                continue;
            }

            if (data.Types.Contains(RecordType.CNAME))
            {
                continue; // the climb followed the CNAME: the proof is at its target
            }

            var check = RrsetVerifier.Check([record], signatures.Matching, keys, apex, now);
            if (check.Status != RrsetStatus.Secure)
            {
                problems.Add(new DenialProblem(level, $"the NSEC at {level.Text} that proves \"no CAA here\" is not validly signed: {check.Detail}", record));
            }
            else if (data.Types.Contains(RecordType.CAA))
            {
                problems.Add(new DenialProblem(level, $"the NSEC at {level.Text} says CAA records exist there, but the answer was that none do", record));
            }
        }

        return problems;
    }

    /// <summary>The RRsets a signed zone's diagnosis depends on — its DNSKEY set, the relevant CAA sets, the validation CNAMEs — and their RRSIGs.</summary>
    private static async Task<IReadOnlyList<(IReadOnlyList<ResourceRecord>, DnsAnswer)>> FetchSignatures(DiagnosisContext context, DnsName apex,
        IReadOnlyList<ResourceRecord> keys, IReadOnlyList<DnsName> names, CancellationToken cancellationToken)
    {
        var rrsets = new List<IReadOnlyList<ResourceRecord>> { keys };
        foreach (var name in names)
        {
            var set = await Caa.RelevantCaaSet.For(context, name, cancellationToken).ConfigureAwait(false);
            if (set.Status == Caa.CaaSetStatus.Found && set.Records[0].Owner.IsSubdomainOf(apex))
            {
                rrsets.Add(set.Records);
            }
        }

        foreach (var expected in context.Subject.Validations.Where(v => v.Name.IsSubdomainOf(apex)))
        {
            if ((await Validation.ValidationFacts.For(context, expected, cancellationToken).ConfigureAwait(false)).Record is { } record)
            {
                rrsets.Add([record]);
            }
        }

        var distinct = rrsets.GroupBy(r => (r[0].Owner, r[0].Type)).Select(g => g.First()).ToList();
        var signatures = await Task.WhenAll(distinct.Select(r => context.View.QueryAsync(r[0].Owner, RecordType.RRSIG, cancellationToken).AsTask())).ConfigureAwait(false);
        return distinct.Zip(signatures).ToList();
    }

    private static IReadOnlyList<RrsetVerdict> JudgeSignatures(DnsName apex, IReadOnlyList<ZoneKey> keys, IReadOnlyList<(IReadOnlyList<ResourceRecord> Rrset, DnsAnswer Signatures)> fetched,
        DateTimeOffset now) =>
        fetched.Select(f => new RrsetVerdict(f.Rrset[0].Owner, f.Rrset[0].Type, f.Rrset, Judge(apex, keys, f.Rrset, f.Signatures, now))).ToList();

    // A question that failed, or came back empty, proves nothing: some servers do not answer RRSIG
    // questions, so over DNS an RRset is never called unsigned — only the signatures that came are judged.
    private static RrsetCheck Judge(DnsName apex, IReadOnlyList<ZoneKey> keys, IReadOnlyList<ResourceRecord> rrset, DnsAnswer signatures, DateTimeOffset now)
    {
        if (signatures.Status != AnswerStatus.Answer)
        {
            return new RrsetCheck(RrsetStatus.NotCheckable, null, $"the RRSIG question for {rrset[0].Owner.Text} brought no signatures: {signatures.Detail ?? signatures.Status.ToString()}");
        }

        var check = RrsetVerifier.Check(rrset, signatures.Matching, keys, apex, now);
        return check.Status == RrsetStatus.Unsigned ? check with { Status = RrsetStatus.NotCheckable } : check;
    }
}
