using RulesApi.Dns.Records;
using RulesApi.Rules.Facts;

namespace RulesApi.Rules.Caa;

/// <summary>How one CAA property bears on issuance for the requested name.</summary>
public sealed record PropertyReading(ResourceRecord Record, CaaData Data, IssuerValue? Value, bool Applies, bool AuthorisesCa);

/// <summary>
/// The decision a CA makes on a relevant CAA set (RFC 8659 §4): an unknown critical property forbids
/// everything; for a wildcard, <c>issuewild</c> properties replace <c>issue</c> ones when there are any;
/// authorisations add up; a set with no issuer property at all restricts nothing.
/// </summary>
public sealed record CaaDecision(bool Permits, bool UsesIssueWild, IReadOnlyList<PropertyReading> Readings, IReadOnlyList<ResourceRecord> UnknownCritical)
{
    public IEnumerable<PropertyReading> Applicable => Readings.Where(r => r.Applies);

    /// <remarks>
    /// Loops, not queries: every name of every diagnosis is decided here, and the queries' iterators and closures were
    /// a tenth of what a fixture's diagnosis allocated.
    /// </remarks>
    public static CaaDecision Evaluate(RelevantCaaSet set, Subject subject)
    {
        var records = set.Records;
        if (records.Count == 0)
        {
            return Unrestricted;
        }

        List<ResourceRecord>? unknownCritical = null;
        var usesIssueWild = false;
        foreach (var record in records)
        {
            var data = (CaaData)record.Data;
            if (data.IsCritical && !CaaTags.IsKnown(data.Tag))
            {
                (unknownCritical ??= []).Add(record);
            }

            usesIssueWild |= set.IsWildcard && CaaTags.Is(data.Tag, CaaTags.IssueWild);
        }

        var relevantTag = usesIssueWild ? CaaTags.IssueWild : CaaTags.Issue;
        var readings = new PropertyReading[records.Count];
        var anyApplicable = false;
        var anyAuthorises = false;
        for (var i = 0; i < readings.Length; i++)
        {
            var record = records[i];
            var data = (CaaData)record.Data;
            var isIssuer = CaaTags.Is(data.Tag, CaaTags.Issue) || CaaTags.Is(data.Tag, CaaTags.IssueWild);
            var value = isIssuer ? IssuerValue.Parse(data.Value) : null;
            var applies = CaaTags.Is(data.Tag, relevantTag);
            var authorises = applies && value is { IsValid: true, Issuer: { } issuer } && subject.IsCaIdentity(issuer);
            readings[i] = new PropertyReading(record, data, value, applies, authorises);
            anyApplicable |= applies;
            anyAuthorises |= authorises;
        }

        var permits = unknownCritical is null && (!anyApplicable || anyAuthorises);
        return new CaaDecision(permits, usesIssueWild, readings, (IReadOnlyList<ResourceRecord>?)unknownCritical ?? []);
    }

    /// <summary>The decision on an empty set (no CAA records up the tree): any CA may issue. Shared, as it holds nothing.</summary>
    private static readonly CaaDecision Unrestricted = new(Permits: true, UsesIssueWild: false, Readings: [], UnknownCritical: []);
}
