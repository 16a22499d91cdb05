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
