using RulesApi.Dns.DnsSec;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Dns.ZoneFiles;

namespace RulesApi.Dns.Tests;

/// <summary>
/// Our DNSSEC verification against zones signed by BIND's dnssec-signzone (kept in the differential
/// corpus, where named-checkzone reads them too): clean as they are, and each breakage found as what it is.
/// The clock is fixed inside the signatures' validity, so nothing here expires.
/// </summary>
public sealed class DnsSecTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.com.");
    private static readonly DateTimeOffset During = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static string Signed(string kind) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Differential", "zones", $"signed-{kind}-dnssec-signzone.zone"));

    private static ZoneSignatures Check(string text, DateTimeOffset? now = null)
    {
        var parsed = MasterFileParser.Parse(text, new ZoneParserOptions { Origin = Origin });
        Assert.False(parsed.HasErrors, string.Join("; ", parsed.Diagnostics));
        return ZoneSignatures.Check(ZoneData.Build(parsed, Origin), now ?? During);
    }

    [Theory]
    [InlineData("nsec")]
    [InlineData("nsec3")]
    public void A_zone_signed_by_dnssec_signzone_verifies_completely(string kind)
    {
        var result = Check(Signed(kind));

        Assert.Equal(kind.ToUpperInvariant(), result.DenialKind);
        Assert.NotEmpty(result.Rrsets);
        Assert.All(result.Rrsets, r => Assert.True(r.Check.Status == RrsetStatus.Secure, $"{r.Owner} {r.Type}: {r.Check.Detail}"));
        Assert.Empty(result.Denial);
    }

    [Fact]
    public void After_the_end_of_validity_every_signature_has_expired()
    {
        var result = Check(Signed("nsec"), new DateTimeOffset(2037, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.All(result.Rrsets, r => Assert.Equal(RrsetStatus.Expired, r.Check.Status));
        Assert.Contains("expired on 2036-12-31 00:00 UTC", result.Rrsets[0].Check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_record_no_longer_verifies_and_a_removed_signature_leaves_its_rrset_unsigned()
    {
        var text = Signed("nsec").Replace("192.0.2.11", "192.0.2.99", StringComparison.Ordinal);
        var result = Check(text);

        var www = Assert.Single(result.Rrsets, r => r.Owner.Text == "www.example.com." && r.Type == RecordType.A);
        Assert.Equal(RrsetStatus.BadSignature, www.Check.Status);
        Assert.All(result.Rrsets.Where(r => r != www), r => Assert.Equal(RrsetStatus.Secure, r.Check.Status));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("AB12")]
    public async Task What_our_signer_signs_verifies_here_and_with_bind_s_dnssec_verify(string? nsec3Salt)
    {
        const string Zone = "$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n@ CAA 0 issue \"amazon.com\"\n" +
            "www A 192.0.2.2\n*.wild TXT \"any\"\nsub NS ns.sub\nns.sub A 192.0.2.3\nMiXeD.case CNAME www\n";
        var parsed = MasterFileParser.Parse(Zone, new ZoneParserOptions { Origin = Origin });
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var (records, _) = ZoneSigner.Sign(ZoneData.Build(parsed, Origin), parsed.Records, key, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30),
            nsec3Salt: nsec3Salt is null ? null : Convert.FromHexString(nsec3Salt));
        var text = string.Join('\n', records.Select(r => r.ToZoneLine())) + "\n";

        var ours = Check(text, DateTimeOffset.UtcNow);
        Assert.Equal(nsec3Salt is null ? "NSEC" : "NSEC3", ours.DenialKind);
        Assert.All(ours.Rrsets, r => Assert.True(r.Check.Status == RrsetStatus.Secure, $"{r.Owner} {r.Type}: {r.Check.Detail}"));
        Assert.Empty(ours.Denial);

        // BIND's own verifier must accept the same zone: our canonical form is the standard one.
        var file = Path.Combine(Path.GetTempPath(), $"rulesapi-signed-{Guid.NewGuid():N}.zone");
        await File.WriteAllTextAsync(file, text);
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("dnssec-verify") { RedirectStandardOutput = true, RedirectStandardError = true };
            // -z: one key (a KSK) signs everything, as our signer does.
            foreach (var argument in new[] { "-z", "-o", Origin.Text, file })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = System.Diagnostics.Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Canonical_order_compares_labels_from_the_right_in_lower_case()
    {
        // RFC 4034 §6.1's own example order.
        var names = new[] { "example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.", "zABC.a.EXAMPLE.", "z.example.", "\\001.z.example.", "*.z.example.", "\\200.z.example." };
        var parsed = names.Select(DnsName.Parse).ToList();

        Assert.Equal(names, parsed.OrderBy(n => n, CanonicalOrder.Instance).Select(n => n.Text).ToArray());
        Assert.Equal(names, CanonicalOrder.Sort(parsed.AsEnumerable().Reverse()).Select(n => n.Text).ToArray());
    }

    [Fact]
    public void The_nsec3_hash_matches_rfc_5155_appendix_a()
    {
        // RFC 5155 Appendix A: salt AABBCCDD, 12 iterations; example → 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.
        Assert.Equal("0P9MHAVEQVM6T7VBL5LOP2U3T2RP3TOM", ZoneSignatures.Nsec3Hash(DnsName.Parse("example."), Convert.FromHexString("AABBCCDD"), 12));
    }
}
