using RulesApi.Dns.Names;

namespace RulesApi.Dns.DnsSec;

/// <summary>DNSSEC's canonical order of names (RFC 4034 §6.1): label by label from the right, octets compared in lower case.</summary>
public sealed class CanonicalOrder : IComparer<DnsName>
{
    public static readonly CanonicalOrder Instance = new();

    public int Compare(DnsName? x, DnsName? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var left = WireFormat.Labels(x);
        var right = WireFormat.Labels(y);
        for (int i = left.Count - 1, j = right.Count - 1; i >= 0 && j >= 0; i--, j--)
        {
            var order = CompareLabel(left[i], right[j]);
            if (order != 0)
            {
                return order;
            }
        }

        return left.Count.CompareTo(right.Count);
    }

    /// <summary>
    /// A key whose byte order is the canonical order, for sorting many names without comparing labels
    /// again and again: the labels from the right, lower-cased, each ended by 00 00, with an octet 00
    /// inside a label written 00 01 (so a label sorts before every longer label it begins).
    /// </summary>
    public static byte[] SortKey(DnsName name)
    {
        var labels = WireFormat.Labels(name);
        var key = new List<byte>(name.Text.Length + 2 * labels.Count);
        for (var i = labels.Count - 1; i >= 0; i--)
        {
            foreach (var octet in labels[i])
            {
                if (octet == 0)
                {
                    key.Add(0);
                    key.Add(1);
                }
                else
                {
                    key.Add(Lower(octet));
                }
            }

            key.Add(0);
            key.Add(0);
        }

        return [.. key];
    }

    /// <summary>The names in canonical order, each label decoded once.</summary>
    public static List<DnsName> Sort(IEnumerable<DnsName> names) =>
        names.Select(n => (Name: n, Key: SortKey(n))).OrderBy(p => p.Key, ByteOrder.Instance).Select(p => p.Name).ToList();

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    private static int CompareLabel(byte[] a, byte[] b)
    {
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var order = Lower(a[i]).CompareTo(Lower(b[i]));
            if (order != 0)
            {
                return order;
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    private static byte Lower(byte octet) => octet is >= (byte)'A' and <= (byte)'Z' ? (byte)(octet + 32) : octet;
}
