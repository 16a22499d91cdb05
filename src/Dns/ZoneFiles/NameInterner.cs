using RulesApi.Dns.Names;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>
/// The names in records' data, made once per text while a zone is read: CNAME, MX and NS records point at
/// few targets many times (a hosting export: a few hundred CDN targets for a hundred thousand CNAMEs),
/// and each record would otherwise hold a name object and a string of its own. Texts are matched exactly,
/// case included, so a record shows its target as written. Bounded: past <see cref="Capacity"/> names
/// (a zone whose targets are all different) it starts over, so it never grows with the zone.
/// </summary>
internal sealed class NameInterner
{
    public const int Capacity = 16 * 1024;

    private readonly Dictionary<string, DnsName> _names = new(StringComparer.Ordinal);
    /// <summary>Long enough for any name (2 KB): from the shared pool, and back once the zone is read (<see cref="Release"/>).</summary>
    private char[] _canonical = System.Buffers.ArrayPool<char>.Shared.Rent(DnsName.MaxTextLength + 1);

    /// <summary>Gives the buffer back: no name is parsed through this interner any more.</summary>
    public void Release()
    {
        var canonical = _canonical;
        _canonical = [];
        if (canonical.Length > 0)
        {
            System.Buffers.ArrayPool<char>.Shared.Return(canonical);
        }
    }

    /// <summary><see cref="DnsName.TryParse(ReadOnlySpan{char}, DnsName?, out DnsName, out string?)"/>, giving the same name object for the same text.</summary>
    public bool TryParse(ReadOnlySpan<char> text, DnsName? origin, out DnsName name, out string? error)
    {
        name = DnsName.Root;
        if (!DnsName.TryWriteCanonical(text, origin, _canonical, out var length, out var labels, out error))
        {
            return false;
        }

        var canonical = _canonical.AsSpan(0, length);
        if (_names.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(canonical, out var known))
        {
            name = known;
            return true;
        }

        if (_names.Count >= Capacity)
        {
            _names.Clear();
        }

        name = DnsName.FromCanonical(canonical.ToString(), labels);
        _names.Add(name.Text, name);
        return true;
    }
}
