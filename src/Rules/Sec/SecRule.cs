using RulesApi.Dns.DnsSec;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Sec;

/// <summary>The SEC family: DNSSEC problems that make validating resolvers — and the CA's — fail.</summary>
public abstract class SecRule : Rule
{
    protected const string Rfc4035Validation = "https://www.rfc-editor.org/rfc/rfc4035#section-5";
    protected const string Rfc4034 = "https://www.rfc-editor.org/rfc/rfc4034";
    protected const string CabfCaa = "https://cabforum.org/working-groups/server/baseline-requirements/requirements/#3228-caa-records";

    /// <summary>At most this many examples in a finding's evidence; the message gives the count.</summary>
    protected const int MaxExamples = 10;

    protected override string Family => "SEC";

    public override async ValueTask<IReadOnlyList<Finding>> EvaluateAsync(DiagnosisContext context, CancellationToken cancellationToken)
    {
        // By index, and the list made at the first finding, as the CAA family does: most diagnoses find nothing here.
        List<Finding>? findings = null;
        var zones = await DnssecFacts.For(context, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < zones.Count; i++)
        {
            if (Check(context, zones[i]) is { } finding)
            {
                AddForEachName(findings ??= [], finding, zones[i].Names);
            }
        }

        return findings ?? (IReadOnlyList<Finding>)[];
    }

    /// <summary>
    /// One finding per name of the zone, so each name's verdict reflects it. A loop apart from the rule's: a lambda there
    /// that used the finding made a closure for every zone, finding or not.
    /// </summary>
    private static void AddForEachName(List<Finding> findings, Finding finding, IReadOnlyList<Dns.Names.DnsName> names)
    {
        for (var i = 0; i < names.Count; i++)
        {
            findings.Add(finding with { Name = names[i].Text });
        }
    }

    protected abstract Finding? Check(DiagnosisContext context, DnssecFacts zone);

    /// <summary>RRsets as evidence lines: the first record with its line, and what is wrong with it.</summary>
    protected static IReadOnlyList<string> Examples(IEnumerable<RrsetVerdict> rrsets) =>
        rrsets.Take(MaxExamples).Select(r => $"{r.Owner.Text} {r.Type}: {r.Check.Detail}{((r.Check.Signature?.Location ?? r.Records[0].Location) is { } at ? $"    ; line {at.Line}" : "")}").ToList();

    protected static string Count(int count, string what) => count == 1 ? $"1 {what}" : $"{count} {what}s";
}
