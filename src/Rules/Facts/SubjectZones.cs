using RulesApi.Dns.Names;
using RulesApi.Dns.Views;
using RulesApi.Rules.Runtime;

namespace RulesApi.Rules.Facts;

/// <summary>One zone that holds requested names, as a server view finds it, with the names it holds.</summary>
public sealed record SubjectZone(ZoneServers Zone, IReadOnlyList<DnsName> Names)
{
    /// <summary>True when the zone was found and is not the root: the zones the NS, TTL and SEC rules look at.</summary>
    public bool Found => Zone.Failure is null && !Zone.Apex.IsRoot;
}

/// <summary>
/// The zones of the subject's names (a wildcard counts as its base name), found once per diagnosis
/// through a view that can ask servers, every name at once. Shared by the rule families that look at
/// zones rather than names.
/// </summary>
public static class SubjectZones
{
    public static Task<IReadOnlyList<SubjectZone>> For(DiagnosisContext context, IServerView view, CancellationToken cancellationToken) =>
        context.Memo(default(SubjectZonesKey), (context, view, cancellationToken), static s => Find(s.context, s.view, s.cancellationToken));

    private static async ValueTask<IReadOnlyList<SubjectZone>> Find(DiagnosisContext context, IServerView view, CancellationToken cancellationToken)
    {
        // Each base name looked up once; a request has at most 100 names, compared in place (no set, no groups), and read
        // by index (a foreach over the list's interface made an enumerator).
        var names = context.Subject.Names;
        var lookups = new List<DnsName>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            if (!lookups.Contains(Base(names[i])))
            {
                lookups.Add(Base(names[i]));
            }
        }

        var zones = await AtOnce.Ask(lookups, (view, cancellationToken), static (name, s) => s.view.FindZoneServersAsync(name, s.cancellationToken)).ConfigureAwait(false);

        // One entry per zone, as its first lookup found it, in the order the zones were first found; each with the
        // subject's names (in the subject's order) whose base name is in it.
        var apexes = new List<ZoneServers>();
        var zoneOfLookup = new int[zones.Length];
        for (var i = 0; i < zones.Length; i++)
        {
            zoneOfLookup[i] = apexes.Count;
            for (var known = 0; known < apexes.Count; known++)
            {
                if (apexes[known].Apex == zones[i].Apex)
                {
                    zoneOfLookup[i] = known;
                    break;
                }
            }

            if (zoneOfLookup[i] == apexes.Count)
            {
                apexes.Add(zones[i]);
            }
        }

        var held = new List<DnsName>[apexes.Count];
        for (var i = 0; i < names.Count; i++)
        {
            (held[zoneOfLookup[lookups.IndexOf(Base(names[i]))]] ??= []).Add(names[i]);
        }

        var found = new SubjectZone[apexes.Count];
        for (var zone = 0; zone < found.Length; zone++)
        {
            found[zone] = new SubjectZone(apexes[zone], held[zone]);
        }

        return found;
    }

    private static DnsName Base(DnsName name) => name.IsWildcard ? name.Parent : name;
}

/// <summary>The memo key of the subject's zones (one per diagnosis).</summary>
internal readonly record struct SubjectZonesKey;
