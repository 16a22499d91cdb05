using RulesApi.Dns.Names;
using RulesApi.Dns.Views;
using RulesApi.Rules.Contract;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Report;

/// <summary>
/// Rules that did not know the zone of a record they propose (live and fixture diagnoses: no zone text)
/// write its full name in the Host field. Provider forms want the name relative to the zone, so the
/// engine finds each such record's zone through the view — the zone cut the diagnosis has already
/// learned — and writes the Host field again.
/// </summary>
public static class RemediationHosts
{
    public static async Task<List<Finding>> FillAsync(DiagnosisContext context, List<Finding> findings, CancellationToken cancellationToken)
    {
        if (context.View is not IServerView servers || context.Zone is not null)
        {
            return findings;
        }

        var result = new List<Finding>(findings.Count);
        foreach (var finding in findings)
        {
            if (finding.Remediation is not { Records.Count: > 0 } remedy || cancellationToken.IsCancellationRequested)
            {
                result.Add(finding);
                continue;
            }

            var records = new List<RemediationRecord>(remedy.Records.Count);
            foreach (var record in remedy.Records)
            {
                if (record.Host != record.Name.TrimEnd('.') || !DnsName.TryParse(record.Name, out var name, out _) || record.Type == "DS")
                {
                    // Already relative to a zone, or a DS (entered at the registrar, where the zone's own name is the field).
                    records.Add(record);
                    continue;
                }

                var zone = await servers.FindZoneServersAsync(name, cancellationToken).ConfigureAwait(false);
                records.Add(zone.Failure is null && !zone.Apex.IsRoot ? record with { Host = RemediationRecords.HostField(name, zone.Apex) } : record);
            }

            result.Add(finding with { Remediation = remedy with { Records = records } });
        }

        return result;
    }
}
