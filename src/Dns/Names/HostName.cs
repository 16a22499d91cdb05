namespace RulesApi.Dns.Names;

/// <summary>
/// A name as ACM accepts it in a certificate request: letters, digits and hyphens (LDH), labels of
/// 1–63 characters, at most 253 characters, at least two labels, the last not all digits (not an IP address), and an
/// optional leading <c>*.</c>.
/// Internationalised names must be given in their A-label (<c>xn--</c>) form.
/// </summary>
public static class HostName
{
    public const int MaxLength = 253;

    /// <summary>What a label of a name ACM issues for is made of: letters, digits and hyphens.</summary>
    private static readonly System.Buffers.SearchValues<char> LabelCharacters =
        System.Buffers.SearchValues.Create("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public static bool TryParse(string? text, out DnsName name, out string error)
    {
        name = DnsName.Root;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "A name is empty.";
            return false;
        }

        var trimmed = text.EndsWith('.') ? text[..^1] : text;
        var shown = text.Length > 80 ? text[..80] + "…" : text;
        if (trimmed.Length > MaxLength)
        {
            error = $"'{shown}' is {trimmed.Length} characters long; a domain name has at most {MaxLength}.";
            return false;
        }

        // Not LabelScanner: an ACM name is letters, digits and hyphens, so it has no escapes to honour and any
        // backslash is refused below; splitting at every dot also reports a trailing empty label as one.
        var labels = trimmed.Split('.');
        if (labels.Length < 2)
        {
            error = $"'{shown}' is a single label; give a full domain name such as example.com.";
            return false;
        }

        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (i == 0 && label == "*")
            {
                continue;
            }

            var problem = label switch
            {
                "" => "has an empty label (two dots in a row, or a leading dot)",
                _ when label.Length > DnsName.MaxLabelOctets => $"has a label of {label.Length} characters; the limit is {DnsName.MaxLabelOctets}",
                _ when label.Contains('*', StringComparison.Ordinal) => "has a '*' that is not the whole first label (only *.example.com style wildcards exist)",
                _ when !System.Text.Ascii.IsValid(label) => "is not ASCII; give an internationalised name in its A-label form (xn--…)",
                _ when label.AsSpan().ContainsAnyExcept(LabelCharacters) => $"has the label '{label}', which may contain only letters, digits and '-'",
                _ when label[0] == '-' || label[^1] == '-' => $"has the label '{label}', which starts or ends with '-'",
                _ => null,
            };
            if (problem is not null)
            {
                error = $"'{shown}' {problem}.";
                return false;
            }
        }

        // No top-level domain is all digits (RFC 3696 §2), so such a name is an IP address or a typo: ACM names
        // domains, never addresses, and a diagnosis of it would judge a name nobody can hold.
        if (!labels[^1].AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            error = System.Net.IPAddress.TryParse(trimmed, out _) && labels.Length == 4
                ? $"'{shown}' is an IP address; ACM issues certificates for domain names only."
                : $"'{shown}' ends in the label '{labels[^1]}', which is all digits; no top-level domain is.";
            return false;
        }

        name = DnsName.Parse(trimmed.ToLowerInvariant() + ".");
        return true;
    }
}
