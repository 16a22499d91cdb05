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

    private static async Task<IReadOnlyList<SubjectZone>> Find(DiagnosisContext context, IServerView view, CancellationToken cancellationToken)
    {
        var lookups = context.Subject.Names.Select(Base).Distinct().ToList();
        var zones = await Task.WhenAll(lookups.Select(n => view.FindZoneServersAsync(n, cancellationToken).AsTask())).ConfigureAwait(false);
        return lookups.Zip(zones).GroupBy(pair => pair.Second.Apex)
            .Select(group => new SubjectZone(group.First().Second, context.Subject.Names.Where(n => group.Any(pair => pair.First == Base(n))).ToList()))
            .ToList();
    }

    private static DnsName Base(DnsName name) => name.IsWildcard ? name.Parent : name;
}

/// <summary>The memo key of the subject's zones (one per diagnosis).</summary>
internal readonly record struct SubjectZonesKey;
