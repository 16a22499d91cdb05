using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Rules.Facts;

/// <summary>
/// The questions put to every authoritative server of a zone of the subject, and to every resolver, whose
/// answers must agree: CAA at each name (a wildcard's at its parent), and the validation CNAMEs.
/// </summary>
public static class EveryServerQuestions
{
    public static IEnumerable<(DnsName Name, RecordType Type, IReadOnlyList<DnsName> Domains)> About(IEnumerable<DnsName> names, IEnumerable<ExpectedValidation> validations) =>
        names.Select(n => (Name: n.IsWildcard ? n.Parent : n, Type: RecordType.CAA, Domains: (IReadOnlyList<DnsName>)[n]))
            .Concat(validations.Select(v => (v.Name, Type: RecordType.CNAME, v.Domains)));

    /// <summary>
    /// All of them for the whole subject, before its zones are known: for a live view to ask as early as it
    /// can (<see cref="Dns.Live.LiveDnsView.Expect"/>).
    /// </summary>
    public static IReadOnlyList<(DnsName Name, RecordType Type)> For(Subject subject) =>
        About(subject.Names, subject.Validations).Select(q => (q.Name, q.Type)).Distinct().ToList();
}
