using RulesApi.Dns.DnsSec;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Facts;

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
        context.Memo(default(DnssecFactsKey), (context, cancellationToken), static s => Gather(s.context, s.cancellationToken));

    private static async ValueTask<IReadOnlyList<DnssecFacts>> Gather(DiagnosisContext context, CancellationToken cancellationToken)
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

        var result = new List<DnssecFacts>();
        // One chain of trust per diagnosis: zones that share a parent share its validation.
        var chain = new ChainOfTrust(context.View, servers, context.Clock.GetUtcNow());
        var zones = await SubjectZones.For(context, servers, cancellationToken).ConfigureAwait(false);
        for (var z = 0; z < zones.Count; z++)
        {
            var found = zones[z];
            if (!found.Found)
            {
                continue;
            }

            var apex = found.Zone.Apex;
            var names = found.Names;
            // Each awaited once (a ValueTask each: no task when the view has the answer).
            var ds = context.View.QueryAsync(apex, RecordType.DS, cancellationToken);
            var keys = context.View.QueryAsync(apex, RecordType.DNSKEY, cancellationToken);
            var trustTask = chain.For(apex, cancellationToken);
            var keySet = (await keys.ConfigureAwait(false)).Matching;
            // The signatures and proofs are fetched while the chain of trust is followed; they are judged
            // only under a secure chain: in an insecure or unknown zone validators do not check them either.
            var signaturesTask = keySet.Count == 0 ? NoSignatures : FetchSignatures(context, apex, keySet, names, cancellationToken);
            var denialTask = keySet.Count == 0 ? NoDenialEvidence : FetchDenial(context, servers, apex, names, cancellationToken);
            var trust = await trustTask.ConfigureAwait(false);
            var secure = trust.Status == TrustStatus.Secure;
            var now = context.Clock.GetUtcNow();
            var verdicts = secure ? JudgeSignatures(apex, trust.Keys, await signaturesTask.ConfigureAwait(false), now) : [];
            var denial = secure ? JudgeDenial(apex, trust.Keys, await denialTask.ConfigureAwait(false), now) : [];
            result.Add(new DnssecFacts(apex, (await ds.ConfigureAwait(false)).Matching, "in the parent zone", keySet, null, names, verdicts, trust, denial));
        }

        return result;
    }

    /// <summary>What an unsigned zone has to judge: nothing, in tasks made once (immutable), not two per zone of every diagnosis.</summary>
    private static readonly Task<IReadOnlyList<(IReadOnlyList<ResourceRecord>, DnsAnswer)>> NoSignatures = Task.FromResult<IReadOnlyList<(IReadOnlyList<ResourceRecord>, DnsAnswer)>>([]);

    private static readonly Task<IReadOnlyList<DenialEvidence>> NoDenialEvidence = Task.FromResult<IReadOnlyList<DenialEvidence>>([]);

    /// <summary>
    /// The proof behind each "no CAA here" the climb received inside this zone, at names that exist: the
    /// NSEC record at the name, or the NSEC3 record at its hash, and the signatures there, all asked at
    /// once. A name that does not exist is proven by a covering record elsewhere, which this does not fetch.
    /// </summary>
    private static async Task<IReadOnlyList<DenialEvidence>> FetchDenial(DiagnosisContext context, IServerView servers, DnsName apex,
        IReadOnlyList<DnsName> names, CancellationToken cancellationToken)
    {
        var levels = new HashSet<DnsName>();
        foreach (var name in names)
        {
            var set = await RelevantCaaSet.For(context, name, cancellationToken).ConfigureAwait(false);
            levels.UnionWith(set.Checked.Where(level => level != set.Owner && level.IsSubdomainOf(apex)));
        }

        // The climb's own answers (the view remembers them) say which levels exist (NODATA) and which do not (NXDOMAIN).
        var answers = await AtOnce.Ask([.. levels], (context.View, cancellationToken), static (level, s) => s.View.QueryAsync(level, RecordType.CAA, s.cancellationToken))
            .ConfigureAwait(false);
        var existing = answers.Where(a => a.Status == AnswerStatus.NoData && a.CnameChain.Count == 0).Select(a => a.Question)
            .OrderBy(l => l.Text, StringComparer.OrdinalIgnoreCase).ToList();
        var missing = answers.Where(a => a.Status == AnswerStatus.NameError && a.CnameChain.Count == 0).Select(a => a.Question)
            .OrderBy(l => l.Text, StringComparer.OrdinalIgnoreCase).ToList();
        // Everything an NSEC zone needs is asked at once with the NSEC3PARAM question; an NSEC3 zone costs one
        // more round: its proofs sit at the names' hashes under the apex (RFC 5155 §7.2.3), known only then.
        Task<DnsAnswer> Ask(DnsName owner, RecordType type) => context.View.QueryAsync(owner, type, cancellationToken).AsTask();
        var parametersTask = Ask(apex, RecordType.NSEC3PARAM);
        var proofs = existing.Select(level => Ask(level, RecordType.NSEC)).ToList();
        var signatures = existing.Select(level => Ask(level, RecordType.RRSIG)).ToList();

        // A missing name's proof is an NSEC that covers it, which only comes with the negative answer itself
        // (DO bit set). NSEC3 closest-encloser proofs are not checked.
        var zone = await servers.FindZoneServersAsync(apex, cancellationToken).ConfigureAwait(false);
        var server = zone.Servers.FirstOrDefault(s => s.Address is not null);
        var negatives = server is null ? [] : missing.Select(level => servers.AskServerAsync(server, level, RecordType.CAA, cancellationToken, dnssecOk: true).AsTask()).ToList();
        var parameters = (await parametersTask.ConfigureAwait(false)).Matching.Select(r => r.Data).OfType<Nsec3ParamData>().FirstOrDefault();
        if (parameters is not null)
        {
            var hashed = existing.Select(level => apex.Prepend(ZoneSignatures.Nsec3Hash(level, parameters.Salt, parameters.Iterations))).ToList();
            proofs = hashed.Select(owner => Ask(owner, RecordType.NSEC3)).ToList();
            signatures = hashed.Select(owner => Ask(owner, RecordType.RRSIG)).ToList();
            negatives = [];
        }

        await Task.WhenAll(proofs.Concat(signatures)).ConfigureAwait(false);
        var negativeAnswers = await Task.WhenAll(negatives).ConfigureAwait(false);
        return existing.Select((level, i) => new DenialEvidence(level, false, proofs[i].Result, signatures[i].Result))
            .Concat(negativeAnswers.Select(n => new DenialEvidence(n.Answer.Question, true, n.Answer, n.Answer)))
            .ToList();
    }

    /// <summary>Each proof must exist, be signed by the zone's validated keys, and not list CAA.</summary>
    private static IReadOnlyList<DenialProblem> JudgeDenial(DnsName apex, IReadOnlyList<ZoneKey> keys, IReadOnlyList<DenialEvidence> evidence, DateTimeOffset now)
    {
        var problems = new List<DenialProblem>();
        foreach (var item in evidence.Where(e => e.NameMissing))
        {
            if (JudgeMissingName(apex, keys, item, now) is { } problem)
            {
                problems.Add(problem);
            }
        }

        foreach (var (level, _, proof, signatures) in evidence.Where(e => !e.NameMissing))
        {
            var kind = proof.Type.ToString();
            if (proof.CnameChain.Count > 0 || !proof.Succeeded || (proof.Type == RecordType.NSEC && proof.Status == AnswerStatus.NameError))
            {
                continue; // no such name (a covering NSEC proves it), a CNAME, or the question failed: nothing proven either way
            }

            var record = proof.Matching.FirstOrDefault(r => r.Owner == proof.Question);
            var types = record?.Data switch
            {
                NsecData nsec => nsec.Types,
                Nsec3Data nsec3 => nsec3.Types,
                _ => null,
            };
            if (record is null || types is null)
            {
                problems.Add(new DenialProblem(level, proof.Type == RecordType.NSEC
                    ? $"{level.Text} has no NSEC record, so \"no CAA here\" cannot be proven"
                    : $"{level.Text} has no NSEC3 record (at {proof.Question.Text}), so \"no CAA here\" cannot be proven"));
                continue;
            }

            if (types.Contains(RecordType.CNAME))
            {
                continue; // the climb followed the CNAME: the proof is at its target
            }

            var check = RrsetVerifier.Check([record], signatures.Matching, keys, apex, now);
            if (check.Status != RrsetStatus.Secure)
            {
                problems.Add(new DenialProblem(level, $"the {kind} record that proves \"no CAA here\" at {level.Text} is not validly signed: {check.Detail}", record));
            }
            else if (types.Contains(RecordType.CAA))
            {
                problems.Add(new DenialProblem(level, $"the {kind} record for {level.Text} says CAA records exist there, but the answer was that none do", record));
            }
        }

        return problems;
    }

    // "No such name" must come with a validly signed NSEC whose owner sorts before the name and whose next name after it.
    private static DenialProblem? JudgeMissingName(DnsName apex, IReadOnlyList<ZoneKey> keys, DenialEvidence item, DateTimeOffset now)
    {
        if (item.Proof.Status != AnswerStatus.NameError)
        {
            return null; // the server's answer changed or failed: nothing proven either way
        }

        var order = CanonicalOrder.Instance;
        var covering = item.Proof.Proof.FirstOrDefault(r => r.Data is NsecData data && order.Compare(r.Owner, item.Level) < 0
            && (order.Compare(item.Level, data.NextName) < 0 || order.Compare(data.NextName, r.Owner) <= 0));
        if (covering is null)
        {
            return new DenialProblem(item.Level, $"the answer \"no such name\" for {item.Level.Text} came without an NSEC record that covers it, so it cannot be proven");
        }

        var check = RrsetVerifier.Check([covering], item.Proof.Proof.Where(r => r.Owner == covering.Owner), keys, apex, now);
        return check.Status == RrsetStatus.Secure
            ? null
            : new DenialProblem(item.Level, $"the NSEC record that proves {item.Level.Text} does not exist is not validly signed: {check.Detail}", covering);
    }

    /// <summary>The RRsets a signed zone's diagnosis depends on — its DNSKEY set, the relevant CAA sets, the validation CNAMEs — and their RRSIGs.</summary>
    private static async Task<IReadOnlyList<(IReadOnlyList<ResourceRecord>, DnsAnswer)>> FetchSignatures(DiagnosisContext context, DnsName apex,
        IReadOnlyList<ResourceRecord> keys, IReadOnlyList<DnsName> names, CancellationToken cancellationToken)
    {
        var rrsets = new List<IReadOnlyList<ResourceRecord>> { keys };
        foreach (var name in names)
        {
            var set = await RelevantCaaSet.For(context, name, cancellationToken).ConfigureAwait(false);
            if (set.Status == CaaSetStatus.Found && set.Records[0].Owner.IsSubdomainOf(apex))
            {
                rrsets.Add(set.Records);
            }
        }

        foreach (var expected in context.Subject.Validations.Where(v => v.Name.IsSubdomainOf(apex)))
        {
            if ((await ValidationFacts.For(context, expected, cancellationToken).ConfigureAwait(false)).Record is { } record)
            {
                rrsets.Add([record]);
            }
        }

        var distinct = rrsets.GroupBy(r => (r[0].Owner, r[0].Type)).Select(g => g.First()).ToList();
        var signatures = await AtOnce.Ask(distinct, (context.View, cancellationToken), static (rrset, s) => s.View.QueryAsync(rrset[0].Owner, RecordType.RRSIG, s.cancellationToken))
            .ConfigureAwait(false);
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

/// <summary>What the proof of "no CAA here" at one level of the climb rests on: the proof records asked for, and their signatures.</summary>
public sealed record DenialEvidence(DnsName Level, bool NameMissing, DnsAnswer Proof, DnsAnswer Signatures);

/// <summary>The memo key of the diagnosis's DNSSEC facts (one per diagnosis).</summary>
internal readonly record struct DnssecFactsKey;
