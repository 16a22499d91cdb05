using RulesApi.Dns.DnsSec;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Dns.Tests;

public sealed class DnsNameTests
{
    private static readonly DnsName Example = DnsName.Parse("example.");

    [Theory]
    [InlineData("a@b.example.", "a\\@b.example.")]
    [InlineData("a\\064b.example.", "a@b.example.")]
    [InlineData("a$b.example.", "a\\$b.example.")]
    [InlineData("\\097bc.example.", "abc.example.")]
    [InlineData("A\\066C.example.", "abc.EXAMPLE.")]
    [InlineData("a\\.b.example.", "a\\046b.example.")]
    [InlineData("a\\\\b.example.", "a\\092b.example.")]
    [InlineData("a\\-b.example.", "a-b.example.")]
    [InlineData("b\\\u00fccher.example.", "b\u00fccher.example.")]
    public void Names_equal_on_the_wire_are_equal_whatever_their_escapes(string left, string right)
    {
        var a = DnsName.Parse(left);
        var b = DnsName.Parse(right);

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(0, a.CompareTo(b));
        Assert.Equal(WireFormat.CanonicalName(a), WireFormat.CanonicalName(b));
    }

    [Theory]
    [InlineData("a@b.example.", "a\\@b.example.")]
    [InlineData("a\\@b.example.", "a\\@b.example.")]
    [InlineData("a\\064b.example.", "a\\@b.example.")]
    [InlineData("a$b.example.", "a\\$b.example.")]
    [InlineData("a\\046b.example.", "a\\.b.example.")]
    [InlineData("a\\;b.example.", "a\\;b.example.")]
    [InlineData("a\\ b.example.", "a\\032b.example.")]
    [InlineData("a\\126b.example.", "a~b.example.")]
    [InlineData("a\\127b.example.", "a\\127b.example.")]
    [InlineData("Mixed.Case.", "Mixed.Case.")]
    public void The_canonical_text_escapes_only_what_must_be_escaped(string text, string canonical) =>
        Assert.Equal(canonical, DnsName.Parse(text).Text);

    [Theory]
    [InlineData("a.example.", "b.example.")]
    [InlineData("a\\.b.example.", "a.b.example.")]
    [InlineData("a\\@b.example.", "a\\\\@b.example.")]
    [InlineData("\\200.example.", "\\201.example.")]
    public void Different_octets_make_different_names(string left, string right) =>
        Assert.NotEqual(DnsName.Parse(left), DnsName.Parse(right));

    [Fact]
    public void A_label_of_63_octets_is_the_longest()
    {
        var longest = new string('a', 63);
        Assert.True(DnsName.TryParse(longest + ".example.", out var name, out _));
        Assert.Equal(longest, name.FirstLabel);

        Assert.False(DnsName.TryParse(new string('a', 64) + ".example.", out _, out var error));
        Assert.Contains("63", error, StringComparison.Ordinal);

        // Escapes count as the octets they stand for, not as the characters that write them.
        var escaped = string.Concat(Enumerable.Repeat("\\065", 63));
        Assert.True(DnsName.TryParse(escaped + ".example.", out name, out _));
        Assert.Equal(new string('A', 63), name.FirstLabel);
        Assert.False(DnsName.TryParse(escaped + "\\065.example.", out _, out _));
        Assert.False(DnsName.TryParse(string.Concat(Enumerable.Repeat("\\.", 64)) + ".example.", out _, out _));

        // A non-ASCII character is its UTF-8 octets: 32 two-octet characters are 64 octets.
        Assert.True(DnsName.TryParse(new string('\u00fc', 31) + "a.example.", out _, out _));
        Assert.False(DnsName.TryParse(new string('\u00fc', 32) + ".example.", out _, out _));
    }

    [Fact]
    public void A_name_of_255_octets_is_the_longest()
    {
        // Four labels of 63 octets and the root: 4 × 64 + 1 = 257 octets; three of 63 and one of 61 make 255.
        var label = new string('a', 63);
        var longest = $"{label}.{label}.{label}.{new string('b', 61)}.";
        Assert.True(DnsName.TryParse(longest, out var name, out _));
        Assert.Equal(255, WireFormat.CanonicalName(name).Length);

        Assert.False(DnsName.TryParse($"{label}.{label}.{label}.{new string('b', 62)}.", out _, out var error));
        Assert.Contains("256 octets", error, StringComparison.Ordinal);

        // Escaped octets and an origin count the same way.
        var escapedLabel = string.Concat(Enumerable.Repeat("\\097", 63));
        Assert.True(DnsName.TryParse($"{escapedLabel}.{label}.{label}.{new string('b', 61)}.", out _, out _));
        var origin = DnsName.Parse($"{label}.{new string('b', 61)}.");
        Assert.True(DnsName.TryParse($"{escapedLabel}.{label}", origin, out name, out _));
        Assert.Equal(255, WireFormat.CanonicalName(name).Length);
        Assert.False(DnsName.TryParse($"x.{escapedLabel}.{label}", origin, out _, out _));
    }

    [Theory]
    [InlineData("a\\256.example.", "above 255")]
    [InlineData("a\\999.example.", "above 255")]
    [InlineData("a\\25.example.", "three-digit")]
    [InlineData("a\\2", "three-digit")]
    [InlineData("example\\", "escapes nothing")]
    [InlineData("a.example.\\", "escapes nothing")]
    [InlineData("a..example.", "empty label")]
    [InlineData(".a.example.", "empty label")]
    [InlineData("a@..example.", "empty label")]
    public void Malformed_names_are_refused(string text, string reason)
    {
        Assert.False(DnsName.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_escaped_dot_does_not_end_a_label()
    {
        var name = DnsName.Parse("a\\.b\\\\.c.example.");

        Assert.Equal(3, name.LabelCount);
        Assert.Equal("a\\.b\\\\", name.FirstLabel);
        Assert.Equal("c.example.", name.Parent.Text);
        Assert.Equal("c.example.", DnsName.ParentText(name.Text).ToString());
        Assert.Equal([(byte)'a', (byte)'.', (byte)'b', (byte)'\\'], WireFormat.Labels(name)[0]);
    }

    [Fact]
    public void Subdomains_start_at_a_label_boundary()
    {
        Assert.True(DnsName.Parse("a.example.").IsSubdomainOf(Example));
        Assert.True(DnsName.Parse("A.EXAMPLE.").IsSubdomainOf(Example));
        Assert.True(Example.IsSubdomainOf(Example));
        Assert.True(Example.IsSubdomainOf(DnsName.Root));
        Assert.False(DnsName.Parse("anexample.").IsSubdomainOf(Example));
        Assert.False(DnsName.Parse("a\\.example.").IsSubdomainOf(Example));
        Assert.True(DnsName.Parse("b.a\\.example.").IsSubdomainOf(DnsName.Parse("a\\.example.")));
        Assert.False(DnsName.Parse("a\\\\\\.example.").IsSubdomainOf(Example));
        Assert.True(DnsName.Parse("a\\\\.example.").IsSubdomainOf(Example));
    }

    [Fact]
    public void Prepend_writes_the_label_in_canonical_form()
    {
        Assert.Equal("*.example.", Example.Prepend("*").Text);
        Assert.Equal(DnsName.Parse("a@b.example."), Example.Prepend("a\\@b"));
        Assert.Equal("a\\@b.example.", Example.Prepend("a@b").Text);
        Assert.Equal("x.", DnsName.Root.Prepend("x").Text);
        Assert.Equal(2, Example.Prepend("a\\.b").LabelCount);

        Assert.Throws<ArgumentException>(() => Example.Prepend(""));
        Assert.Throws<ArgumentException>(() => Example.Prepend("a.b"));
        Assert.Throws<ArgumentException>(() => Example.Prepend("a."));
        Assert.Throws<ArgumentException>(() => Example.Prepend(new string('a', 64)));
        Assert.Throws<ArgumentException>(() => Example.Prepend("a\\"));
    }

    [Fact]
    public void CompareTo_is_presentation_order_and_CanonicalOrder_is_dnssec_order()
    {
        var names = new[] { "b.a.example.", "a.b.example.", "A.example." }.Select(DnsName.Parse).ToList();

        Assert.Equal(["a.b.example.", "A.example.", "b.a.example."], names.Order().Select(n => n.Text));
        Assert.Equal(["A.example.", "b.a.example.", "a.b.example."], CanonicalOrder.Sort(names).Select(n => n.Text));
    }

    [Theory]
    [InlineData("a.b.example.", new[] { "a", "b", "example" }, true)]
    [InlineData("a.b", new[] { "a", "b" }, false)]
    [InlineData("a\\.b.c", new[] { "a\\.b", "c" }, false)]
    [InlineData("a\\\\.b.", new[] { "a\\\\", "b" }, true)]
    [InlineData("\\046\\..", new[] { "\\046\\." }, true)]
    public void The_scanner_splits_at_unescaped_dots(string text, string[] labels, bool absolute)
    {
        var found = new List<string>();
        var scanner = new LabelScanner(text);
        var endedByDot = false;
        while (scanner.MoveNext())
        {
            found.Add(scanner.Current.ToString());
            endedByDot = scanner.EndedByDot;
        }

        Assert.Null(scanner.Error);
        Assert.Equal(labels, found);
        Assert.Equal(absolute, endedByDot);
    }

    [Theory]
    [InlineData("abc", new byte[] { 97, 98, 99 })]
    [InlineData("\\000\\255", new byte[] { 0, 255 })]
    [InlineData("\\.\\\\\\@", new byte[] { 46, 92, 64 })]
    [InlineData("\u00fc", new byte[] { 0xc3, 0xbc })]
    [InlineData("\\\u00fc", new byte[] { 0xc3, 0xbc })]
    [InlineData("\U0001F600", new byte[] { 0xf0, 0x9f, 0x98, 0x80 })]
    public void The_scanner_decodes_escapes_to_octets(string label, byte[] octets)
    {
        var buffer = new byte[64];
        var count = LabelScanner.Decode(label, buffer, out var error);

        Assert.Null(error);
        Assert.Equal(octets, buffer[..count]);
    }

    [Fact]
    public void The_scanner_says_when_octets_do_not_fit()
    {
        var buffer = new byte[2];

        Assert.Equal(-1, LabelScanner.Decode("abc", buffer, out var error));
        Assert.Null(error);
        Assert.Equal(-1, LabelScanner.Decode("\u00fc", new byte[1], out _));
        Assert.Equal(-1, LabelScanner.Decode("a\\300", new byte[8], out error));
        Assert.Contains("above 255", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("@ TXT \"a\\@b\" a\\065\\\\ \"\\\u00fc\"", new[] { "a@b", "aA\\", "\u00c3\u00bc" })]
    public void Character_strings_decode_escapes_as_names_do(string line, string[] strings)
    {
        var zone = MasterFileParser.Parse("$TTL 300\n" + line + "\n", new ZoneParserOptions { Origin = Example });

        Assert.Empty(zone.Diagnostics);
        Assert.Equal(strings, Assert.IsType<TxtData>(zone.Records[0].Data).Strings);
    }

    [Theory]
    [InlineData("@ TXT a\\256", "above 255")]
    [InlineData("@ TXT \"a\\25\"", "three-digit")]
    public void Character_strings_refuse_malformed_escapes(string line, string reason)
    {
        var zone = MasterFileParser.Parse("$TTL 300\n" + line + "\n", new ZoneParserOptions { Origin = Example });

        Assert.Contains(reason, Assert.Single(zone.Diagnostics).Message, StringComparison.Ordinal);
    }
}
