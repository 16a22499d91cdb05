using System.Text.RegularExpressions;
using RulesApi.Dns.Names;

namespace RulesApi.Rules.Facts;

/// <summary>
/// One DNS validation record ACM asked for: a CNAME at <see cref="Name"/> (<c>_&lt;token&gt;.&lt;domain&gt;</c>)
/// pointing at <see cref="Value"/> (<c>_&lt;token&gt;.&lt;10 letters&gt;.acm-validations.aws.</c>), and the
/// certificate names it validates (a wildcard shares its base name's record).
/// </summary>
public sealed partial record ExpectedValidation(DnsName Name, DnsName Value, IReadOnlyList<DnsName> Domains)
{
    /// <summary>The domain the record proves control of: the name without its token label.</summary>
    public DnsName Domain => Name.Parent;

    /// <summary>The first label, the token that ties the record to one certificate request.</summary>
    public string Token => Name.FirstLabel;

    /// <summary>
    /// The records to check: those of the certificate's DomainValidationOptions (DNS method), and those
    /// given directly, each tied to the requested names it validates (a wildcard shares its base's record).
    /// </summary>
    public static IReadOnlyList<ExpectedValidation> Collect(AcmCertificate? certificate, IEnumerable<(DnsName Name, DnsName Value)> given, IReadOnlyList<DnsName> names)
    {
        // In the order first named; a certificate has at most 100 names, so the records are found in place, without a dictionary.
        var collected = new List<(DnsName Name, DnsName Value, List<DnsName> Domains)>();
        foreach (var option in certificate?.DomainValidationOptions ?? [])
        {
            if (option.ResourceRecord is not { } record || option.ValidationMethod is { } method && !string.Equals(method, "DNS", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var at = IndexOf(collected, record.Name);
            if (at < 0)
            {
                collected.Add((record.Name, record.Value, []));
                at = collected.Count - 1;
            }

            if (!collected[at].Domains.Contains(option.DomainName))
            {
                collected[at].Domains.Add(option.DomainName);
            }
        }

        foreach (var (name, value) in given)
        {
            if (IndexOf(collected, name) < 0)
            {
                // The record's domain once (each read of a parent makes a new name), and the names by index (no enumerator).
                var domain = name.Parent;
                var domains = new List<DnsName>();
                for (var i = 0; i < names.Count; i++)
                {
                    var requested = names[i];
                    if ((requested.IsWildcard ? requested.Parent : requested) == domain && !domains.Contains(requested))
                    {
                        domains.Add(requested);
                    }
                }

                collected.Add((name, value, domains.Count > 0 ? domains : [domain]));
            }
        }

        var expected = new ExpectedValidation[collected.Count];
        for (var i = 0; i < expected.Length; i++)
        {
            expected[i] = new ExpectedValidation(collected[i].Name, collected[i].Value, collected[i].Domains);
        }

        return expected;
    }

    private static int IndexOf(List<(DnsName Name, DnsName Value, List<DnsName> Domains)> collected, DnsName name)
    {
        for (var i = 0; i < collected.Count; i++)
        {
            if (collected[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>True when a value has the shape ACM gives: <c>_&lt;32 hex&gt;.&lt;10 lowercase letters&gt;.acm-validations.aws.</c></summary>
    public static bool IsAcmShapedValue(DnsName value) => AcmValue().IsMatch(value.Text);

    /// <summary>True when a name starts with ACM's token label, <c>_&lt;32 hex&gt;</c>.</summary>
    /// <remarks>
    /// The label is 33 characters, so it is read in place, up to the dot that must end it, without a copy of
    /// each name's first label: an audit asks this of every CNAME in the zone. (An escaped dot inside a longer
    /// label puts a backslash among the 33 characters, which the pattern refuses.)
    /// </remarks>
    public static bool HasAcmToken(DnsName name) => HasAcmToken(name.Text);

    /// <summary><see cref="HasAcmToken(DnsName)"/> for a name given as its canonical text.</summary>
    public static bool HasAcmToken(ReadOnlySpan<char> text) =>
        text.Length > AcmTokenLength && text[AcmTokenLength] == '.' && AcmToken().IsMatch(text[..AcmTokenLength]);

    private const int AcmTokenLength = 33;

    [GeneratedRegex("^_[0-9a-f]{32}\\.[a-z]{10}\\.acm-validations\\.aws\\.$", RegexOptions.IgnoreCase)]
    private static partial Regex AcmValue();

    [GeneratedRegex("^_[0-9a-f]{32}$", RegexOptions.IgnoreCase)]
    private static partial Regex AcmToken();
}
