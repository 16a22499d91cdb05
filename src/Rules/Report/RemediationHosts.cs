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
    /// <summary>The view that finds the records' zones; null when the rules knew them (a zone text) or the view cannot tell.</summary>
    public static IServerView? Finder(DiagnosisContext context) => context.Zone is null ? context.View as IServerView : null;

    /// <remarks>A ValueTask: a fixture's zones are in memory, and the records of most fixes need no look-up at all.</remarks>
    public static async ValueTask<IReadOnlyList<RemediationRecord>> FillAsync(IServerView servers, IReadOnlyList<RemediationRecord> records, CancellationToken cancellationToken)
    {
        var filled = new RemediationRecord[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            // Compared as spans: a trimmed copy of every name was garbage.
            if (!record.Host.AsSpan().SequenceEqual(record.Name.AsSpan().TrimEnd('.')) || !DnsName.TryParse(record.Name, out var name, out _) || record.Type == "DS")
            {
                // Already relative to a zone, or a DS (entered at the registrar, where the zone's own name is the field).
                filled[i] = record;
                continue;
            }

            var zone = await servers.FindZoneServersAsync(name, cancellationToken).ConfigureAwait(false);
            filled[i] = zone.Failure is null && !zone.Apex.IsRoot ? record with { Host = RemediationRecords.HostField(name, zone.Apex) } : record;
        }

        return filled;
    }
}
