namespace RulesApi.Dns.Views;

/// <summary>
/// Why an answer of status <see cref="AnswerStatus.Failure"/> could not be had, as data: a rule decides
/// whom a failure blames from this, never from the words of <see cref="DnsAnswer.Detail"/> (which are
/// for people and may change). The values are ordered by how much they say against the zone, so that a
/// lookup asked of several servers takes the kind that says the most (<see cref="FailureKinds.Combine"/>).
/// </summary>
public enum FailureKind
{
    /// <summary>Not classified by the view that answered: read as a failed lookup, the way a CA would.</summary>
    Unclassified = 0,

    /// <summary>A cap of this diagnosis (its query budget, a <c>Dns:Max…</c> setting) stopped the lookup before any server had its say.</summary>
    LimitReached = 1,

    /// <summary>
    /// The service's own configured servers — the root servers it starts from (<c>Dns:RootServers</c>) or
    /// its recursive resolvers (<c>Dns:Resolvers</c>) — did not answer: this service's network, not the zone.
    /// </summary>
    OwnServersSilent = 2,

    /// <summary>Every server asked stayed silent (timeouts). Nothing was said against the zone, though a CA meeting the same silence must refuse.</summary>
    ServersSilent = 3,

    /// <summary>A server answered with an error (SERVFAIL, REFUSED, …), answered without authority (lame), or sent a referral that must be ignored.</summary>
    ServerError = 4,

    /// <summary>The data makes an answer impossible: a CNAME loop, a delegation whose servers have no address, or one to an address no one outside can reach.</summary>
    BrokenData = 5,
}

public static class FailureKinds
{
    /// <summary>
    /// The kind of a lookup that failed at several servers: a server that said something wrong outweighs
    /// silence, and silence outweighs this service's own limits. An unclassified failure outweighs all.
    /// </summary>
    public static FailureKind Combine(IEnumerable<FailureKind> kinds)
    {
        var combined = (FailureKind?)null;
        foreach (var kind in kinds)
        {
            if (kind == FailureKind.Unclassified)
            {
                return FailureKind.Unclassified;
            }

            combined = combined is null || kind > combined ? kind : combined;
        }

        return combined ?? FailureKind.Unclassified;
    }

    /// <summary>True when the failure says nothing against the zone: only silence, or this service's own servers or limits.</summary>
    public static bool SaysNothingAgainstTheZone(this FailureKind kind) =>
        kind is FailureKind.LimitReached or FailureKind.OwnServersSilent or FailureKind.ServersSilent;
}
