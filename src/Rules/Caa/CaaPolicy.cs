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

    public static CaaDecision Evaluate(RelevantCaaSet set, Subject subject)
    {
        var properties = set.Properties.ToList();
        var unknownCritical = properties.Where(p => p.Data.IsCritical && !CaaTags.IsKnown(p.Data.Tag)).Select(p => p.Record).ToList();
        var usesIssueWild = set.IsWildcard && properties.Exists(p => CaaTags.Is(p.Data.Tag, CaaTags.IssueWild));
        var relevantTag = usesIssueWild ? CaaTags.IssueWild : CaaTags.Issue;
        var readings = properties.Select(p =>
        {
            var isIssuer = CaaTags.Is(p.Data.Tag, CaaTags.Issue) || CaaTags.Is(p.Data.Tag, CaaTags.IssueWild);
            var value = isIssuer ? IssuerValue.Parse(p.Data.Value) : null;
            var applies = CaaTags.Is(p.Data.Tag, relevantTag);
            var authorises = applies && value is { IsValid: true, Issuer: { } issuer } && subject.IsCaIdentity(issuer);
            return new PropertyReading(p.Record, p.Data, value, applies, authorises);
        }).ToList();

        var anyApplicable = readings.Exists(r => r.Applies);
        var permits = unknownCritical.Count == 0 && (!anyApplicable || readings.Exists(r => r.AuthorisesCa));
        return new CaaDecision(permits, usesIssueWild, readings, unknownCritical);
    }
}
