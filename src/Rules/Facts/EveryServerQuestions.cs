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
    /// <see cref="About"/> for one zone: its names, and the validations whose names are in it. A list made by loops: the
    /// chain of iterators, and the closure of the apex, were garbage of every diagnosis.
    /// </summary>
    public static List<(DnsName Name, RecordType Type, IReadOnlyList<DnsName> Domains)> InZone(DnsName apex, IReadOnlyList<DnsName> names,
        IReadOnlyList<ExpectedValidation> validations)
    {
        var questions = new List<(DnsName Name, RecordType Type, IReadOnlyList<DnsName> Domains)>(names.Count + validations.Count);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            questions.Add((name.IsWildcard ? name.Parent : name, RecordType.CAA, [name]));
        }

        for (var i = 0; i < validations.Count; i++)
        {
            if (validations[i].Name.IsSubdomainOf(apex))
            {
                questions.Add((validations[i].Name, RecordType.CNAME, validations[i].Domains));
            }
        }

        return questions;
    }

    /// <summary>
    /// All of them for the whole subject, before its zones are known: for a live view to ask as early as it
    /// can (<see cref="Dns.Live.LiveDnsView.Expect"/>).
    /// </summary>
    public static IReadOnlyList<(DnsName Name, RecordType Type)> For(Subject subject) =>
        About(subject.Names, subject.Validations).Select(q => (q.Name, q.Type)).Distinct().ToList();
}
