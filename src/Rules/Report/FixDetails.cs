using RulesApi.Rules.Contract;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Report;

/// <summary>
/// Completes the fixes of the reported findings: message and evidence cut short, Host fields made relative to the zone
/// (<see cref="RemediationHosts"/>), each record's provider form (<see cref="ProviderForms"/>) and when the fix is seen
/// everywhere (<see cref="FixVisibility"/>).
/// </summary>
/// <remarks>
/// One pass, and one copy of each finding that has a fix: the three steps each copied every finding, its remediation
/// and its records before. A record proposed by several findings (one CAA record for every name) is completed once and
/// shared. Measured on samples/example.com.zone with two names (7 findings, 12 records): the three steps allocated 38.5 KB
/// per diagnosis, now 29.8 KB, of which 16.5 KB is the messages' own text.
/// </remarks>
public static class FixDetails
{
    public static async ValueTask<List<Finding>> CompleteAsync(DiagnosisContext context, IReadOnlyList<Finding> reported, DnsProvider provider,
        CancellationToken cancellationToken)
    {
        var finder = RemediationHosts.Finder(context);
        FixVisibility? visibility = null;
        Dictionary<RemediationRecord, RemediationRecord>? formed = null;
        var result = new List<Finding>(reported.Count);
        foreach (var whole in reported)
        {
            var finding = FindingLimits.CutShort(whole);
            if (finding.Remediation is not { Records.Count: > 0 } remedy)
            {
                result.Add(finding);
                continue;
            }

            var records = remedy.Records;
            if (finder is not null && !cancellationToken.IsCancellationRequested)
            {
                records = await RemediationHosts.FillAsync(finder, records, cancellationToken).ConfigureAwait(false);
            }

            // The same record is often the fix of several findings: its form is made once, and the record with it shared.
            formed ??= [];
            var withForms = new RemediationRecord[records.Count];
            for (var i = 0; i < records.Count; i++)
            {
                if (!formed.TryGetValue(records[i], out var withForm))
                {
                    formed[records[i]] = withForm = records[i] with { Form = ProviderForms.For(provider, records[i]) };
                }

                withForms[i] = withForm;
            }

            var visibleBy = remedy.VisibleBy;
            if (!cancellationToken.IsCancellationRequested)
            {
                visibility ??= new FixVisibility(context);
                visibleBy = await visibility.EstimateAsync(records, cancellationToken).ConfigureAwait(false) ?? visibleBy;
            }

            result.Add(finding with { Remediation = remedy with { Records = withForms, VisibleBy = visibleBy } });
        }

        return result;
    }
}
