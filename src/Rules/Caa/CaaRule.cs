using RulesApi.Dns.Names;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Caa;

/// <summary>The CAA family: each rule looks at the relevant CAA set of every requested name.</summary>
public abstract class CaaRule : Rule
{
    protected const string Rfc8659Relevant = "https://www.rfc-editor.org/rfc/rfc8659#section-3";
    protected const string Rfc8659Issue = "https://www.rfc-editor.org/rfc/rfc8659#section-4.2";
    protected const string Rfc8659Properties = "https://www.rfc-editor.org/rfc/rfc8659#section-4.1";
    protected const string AcmCaa = "https://docs.aws.amazon.com/acm/latest/userguide/setup-caa.html";

    protected override string Family => "CAA";

    public override bool AppliesTo(DiagnosisContext context) => context.Subject.Names.Count > 0;

    public override async ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        foreach (var name in context.Subject.Names)
        {
            // An audit's names are every CAA owner, and a zone view answers without ever waiting: looked at per name,
            // the token is the only thing that stops a rule past the deadline (it would keep a core busy otherwise).
            cancellationToken.ThrowIfCancellationRequested();
            var set = await RelevantCaaSet.For(context, name, cancellationToken).ConfigureAwait(false);
            // Every CAA rule reads the same decision for a name: it is made once per diagnosis, not once per rule.
            var decision = await context.Memo(new CaaDecisionKey(name), () => Task.FromResult(CaaDecision.Evaluate(set, context.Subject))).ConfigureAwait(false);
            findings.AddRange(await Check(context, set, decision, cancellationToken).ConfigureAwait(false));
        }

        return findings;
    }

    protected abstract ValueTask<IEnumerable<Finding>> Check(DiagnosisContext context, RelevantCaaSet set, CaaDecision decision, CancellationToken cancellationToken);

    protected static DnsName? ZoneApex(DiagnosisContext context) => context.Zone?.Data.Apex;

    /// <summary>Where the set lives: the CNAME target when the climb went through one, else the climb's name.</summary>
    protected static DnsName SetHolder(RelevantCaaSet set) => set.Records.Count > 0 ? set.Records[0].Owner : set.Owner ?? set.LookupName;

    protected static string Via(RelevantCaaSet set) => set.CnameChain.Count == 0
        ? ""
        : $" (reached through the CNAME {string.Join(" → ", set.CnameChain.Select(c => Show(c.Owner)).Append(Show(SetHolder(set))))})";

    protected static string CaIdentities(DiagnosisContext context) => string.Join(", ", context.Subject.CaIdentities);

    /// <summary>The CA's name, as messages say it.</summary>
    protected static string Ca(DiagnosisContext context) => context.Subject.CaName;

    /// <summary>The CA's issue value as a record writes it: <c>0 {tag} "amazon.com"</c>.</summary>
    protected static string IssueValue(DiagnosisContext context, string tag = "issue") => $"0 {tag} \"{context.Subject.CaIssuer}\"";

    protected static string Describe(IssuerValue value, string tag) =>
        value.IsValid ? (value.Issuer is null ? $"{tag} \";\" (no CA at all)" : $"{tag} \"{value.Issuer}\"") : $"{tag} \"{value.Raw}\" (malformed, counts as no CA)";
}

/// <summary>The memo key of a name's <see cref="CaaDecision"/> within one diagnosis.</summary>
internal readonly record struct CaaDecisionKey(DnsName Name);
