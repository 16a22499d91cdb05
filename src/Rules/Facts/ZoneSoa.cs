using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.Views;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Facts;

/// <summary>
/// The SOA of a zone that holds names of the diagnosis, and which of its names it concerns: from the zone
/// text in an audit (with its line), else from the view — the zone found by asking its servers.
/// </summary>
public sealed record ZoneSoa(DnsName Apex, ResourceRecord Record, IReadOnlyList<DnsName> Names)
{
    public SoaData Data => (SoaData)Record.Data;

    /// <summary>How long resolvers keep "no such name": min(SOA TTL, SOA MINIMUM) (RFC 2308 §5).</summary>
    public uint NegativeTtl => Math.Min(Record.Ttl, Data.Minimum);

    public static Task<IReadOnlyList<ZoneSoa>> For(DiagnosisContext context, CancellationToken cancellationToken) =>
        context.Memo(default(ZoneSoaKey), (context, cancellationToken), static s => Gather(s.context, s.cancellationToken));

    private static async ValueTask<IReadOnlyList<ZoneSoa>> Gather(DiagnosisContext context, CancellationToken cancellationToken)
    {
        if (context.Zone is { } zone)
        {
            // Without a lambda: one that used the zone made a closure where the zone's scope begins, for every diagnosis.
            var names = context.Subject.Names.Count > 0 ? context.Subject.Names : [zone.Data.Apex];
            var soa = zone.Data.At(zone.Data.Apex, RecordType.SOA);
            return soa.Count == 0 ? [] : [new ZoneSoa(zone.Data.Apex, soa[0], names)];
        }

        if (context.View is not IServerView servers)
        {
            return [];
        }

        var result = new List<ZoneSoa>();
        // By index, with no lambdas: one that captured the apex made a closure for every zone of every diagnosis.
        var zones = await SubjectZones.For(context, servers, cancellationToken).ConfigureAwait(false);
        for (var z = 0; z < zones.Count; z++)
        {
            if (!zones[z].Found)
            {
                continue;
            }

            var apex = zones[z].Zone.Apex;
            var answer = await context.View.QueryAsync(apex, RecordType.SOA, cancellationToken).ConfigureAwait(false);
            if (AtApex(answer.Matching, apex) is { } soa)
            {
                result.Add(new ZoneSoa(apex, soa, zones[z].Names));
            }
        }

        return result;
    }

    private static ResourceRecord? AtApex(IReadOnlyList<ResourceRecord> records, DnsName apex)
    {
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Owner == apex)
            {
                return records[i];
            }
        }

        return null;
    }
}

/// <summary>The memo key of the zones' SOA records (one per diagnosis).</summary>
internal readonly record struct ZoneSoaKey;
