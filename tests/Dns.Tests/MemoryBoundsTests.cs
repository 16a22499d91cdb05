using System.Security.Cryptography;
using RulesApi.Dns.DnsSec;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.Tests;

/// <summary>
/// Issue 17, "memory that comes back": a small text parsed through the zone parser (one DS record, a
/// record from a DNS answer) costs bytes, not a 2 MB block; and the keys imported for signature checks
/// are a bounded cache, not one that grows with every zone a service sees.
/// </summary>
public sealed class MemoryBoundsTests
{
    [Fact]
    public void Parsing_one_ds_record_allocates_kilobytes_not_a_block_for_a_large_file()
    {
        const string ds = "12345 13 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE7A6E8E4C1E5B2B1D1E2A3B4C";
        Assert.True(DsData.TryParse(ds, out _, out var error), error);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            DsData.TryParse(ds, out _, out _);
        }

        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        // A 1M-character block is 2 MB; what one DS record needs is a few KB.
        Assert.True(perCall < 64 * 1024, $"{perCall} bytes allocated per DS record parsed");
    }

    [Fact]
    public void The_imported_key_cache_holds_at_most_its_capacity_and_keeps_a_key_used_again()
    {
        var data = "signed data"u8.ToArray();
        for (var i = 0; i < ImportedKeys.Capacity + 36; i++)
        {
            Assert.Equal(SignatureCheck.Valid, VerifyWithFreshKey(data));
            Assert.True(DnsSecCrypto.ImportedKeyCount <= ImportedKeys.Capacity, $"{DnsSecCrypto.ImportedKeyCount} keys held after {i + 1}");
        }

        Assert.Equal(ImportedKeys.Capacity, DnsSecCrypto.ImportedKeyCount);
    }

    [Fact]
    public void A_key_seen_again_in_a_new_array_is_not_imported_again()
    {
        var keys = new ImportedKeys();
        var imports = 0;
        var bytes = new byte[64];
        RandomNumberGenerator.Fill(bytes);
        AsymmetricAlgorithm? Import(byte algorithm, byte[] key)
        {
            imports++;
            return null;
        }

        keys.GetOrImport(13, bytes, Import);
        keys.GetOrImport(13, [.. bytes], Import);
        keys.GetOrImport(8, [.. bytes], Import);

        Assert.Equal(2, imports);
        Assert.Equal(2, keys.Count);
    }

    private static SignatureCheck VerifyWithFreshKey(byte[] data)
    {
        using var signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var point = signer.ExportParameters(false).Q;
        var signature = signer.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return DnsSecCrypto.Verify(13, [.. point.X!, .. point.Y!], data, signature);
    }
}
