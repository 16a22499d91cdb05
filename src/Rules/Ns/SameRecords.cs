using RulesApi.Dns.Records;

namespace RulesApi.Rules.Ns;

/// <summary>
/// A quick test that two answers hold the same records, before their presentation text is written and
/// compared: the NS rules compare every server's answer to every question, and in the usual case (they
/// agree) the records are equal values or, from a fixture's one copy of a zone, the same objects.
/// True means the same content; false only means "compare the text" (a TXT record's strings, say, are
/// a list that value equality does not look into).
/// </summary>
internal static class SameRecords
{
    public static bool Of(IReadOnlyList<ResourceRecord> first, IReadOnlyList<ResourceRecord> second)
    {
        if (first.Count != second.Count)
        {
            return false;
        }

        for (var i = 0; i < first.Count; i++)
        {
            if (!ReferenceEquals(first[i], second[i]) && (first[i].Type != second[i].Type || !first[i].Data.Equals(second[i].Data)))
            {
                return false;
            }
        }

        return true;
    }
}
