using System.Security.Cryptography;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.DnsSec;

/// <summary>How a validating resolver treats a DNSKEY algorithm or DS digest type (RFC 8624 §3.1, §3.3).</summary>
public enum AlgorithmSupport
{
    /// <summary>Validators must or should support it.</summary>
    Supported,

    /// <summary>Validators must not use it to validate (RSAMD5, DSA, GOST): the zone counts as insecure.</summary>
    Insecure,

    /// <summary>Validators may support it but this code cannot check it (Ed448): answers are not verified here.</summary>
    NotCheckedHere,

    /// <summary>No such algorithm is assigned.</summary>
    Unknown,
}

public enum SignatureCheck
{
    Valid,
    Invalid,
    Unsupported,
}

/// <summary>The DNSSEC arithmetic: key tags, DS digests, and signature verification with .NET's cryptography.</summary>
public static class DnsSecCrypto
{
    public static string AlgorithmName(byte algorithm) => algorithm switch
    {
        1 => "RSAMD5",
        3 => "DSA",
        5 => "RSASHA1",
        6 => "DSA-NSEC3-SHA1",
        7 => "RSASHA1-NSEC3-SHA1",
        8 => "RSASHA256",
        10 => "RSASHA512",
        12 => "ECC-GOST",
        13 => "ECDSAP256SHA256",
        14 => "ECDSAP384SHA384",
        15 => "ED25519",
        16 => "ED448",
        _ => $"algorithm {algorithm}",
    };

    /// <summary>RFC 8624 §3.1, from a validator's side.</summary>
    public static AlgorithmSupport Algorithm(byte algorithm) => algorithm switch
    {
        5 or 7 or 8 or 10 or 13 or 14 => AlgorithmSupport.Supported,
        15 => AlgorithmSupport.NotCheckedHere, // .NET has no Ed25519 verifier; validators do support it
        16 => AlgorithmSupport.NotCheckedHere,
        1 or 3 or 6 or 12 => AlgorithmSupport.Insecure,
        _ => AlgorithmSupport.Unknown,
    };

    public static string DigestName(byte digestType) => digestType switch
    {
        1 => "SHA-1",
        2 => "SHA-256",
        3 => "GOST R 34.11-94",
        4 => "SHA-384",
        _ => $"digest type {digestType}",
    };

    /// <summary>RFC 8624 §3.3: SHA-1 is still validated (but should not be published), GOST must not be.</summary>
    public static AlgorithmSupport Digest(byte digestType) => digestType switch
    {
        1 or 2 or 4 => AlgorithmSupport.Supported,
        3 => AlgorithmSupport.Insecure,
        _ => AlgorithmSupport.Unknown,
    };

    /// <summary>The key tag (RFC 4034 Appendix B).</summary>
    public static ushort KeyTag(DnsKeyData key)
    {
        var rdata = WireFormat.Rdata(RecordType.DNSKEY, key)!;
        if (key.Algorithm == 1)
        {
            return rdata.Length < 4 ? (ushort)0 : (ushort)((rdata[^3] << 8) | rdata[^2]);
        }

        uint sum = 0;
        for (var i = 0; i < rdata.Length; i++)
        {
            sum += (i & 1) == 0 ? (uint)rdata[i] << 8 : rdata[i];
        }

        sum += (sum >> 16) & 0xffff;
        return (ushort)(sum & 0xffff);
    }

    /// <summary>The DS digest of a key (RFC 4034 §5.1.4), or null for a digest type this code cannot compute.</summary>
    public static byte[]? DsDigest(DnsName owner, DnsKeyData key, byte digestType)
    {
        var data = WireFormat.CanonicalName(owner).Concat(WireFormat.Rdata(RecordType.DNSKEY, key)!).ToArray();
        return digestType switch
        {
            1 => SHA1.HashData(data),
            2 => SHA256.HashData(data),
            4 => SHA384.HashData(data),
            _ => null,
        };
    }

    /// <summary>True when the DS names this key: same tag, same algorithm, and the digest matches.</summary>
    public static bool Matches(DsData ds, DnsName owner, DnsKeyData key) =>
        ds.KeyTag == KeyTag(key) && ds.Algorithm == key.Algorithm && DsDigest(owner, key, ds.DigestType) is { } digest && digest.AsSpan().SequenceEqual(ds.Digest);

    // Importing a key costs more than a verification: each thread keeps the last keys it has imported,
    // a bounded number (ImportedKeys), so a service's memory does not grow with every zone it checks.
    [ThreadStatic]
    private static ImportedKeys? _imported;

    /// <summary>How many keys this thread holds imported (for the test that the cache stays bounded).</summary>
    internal static int ImportedKeyCount => _imported?.Count ?? 0;

    public static SignatureCheck Verify(byte algorithm, byte[] publicKey, byte[] data, byte[] signature)
    {
        if (algorithm is not (5 or 7 or 8 or 10 or 13 or 14))
        {
            return SignatureCheck.Unsupported;
        }

        try
        {
            _imported ??= new ImportedKeys();
            var key = _imported.GetOrImport(algorithm, publicKey, Import);

            return key switch
            {
                RSA rsa => rsa.VerifyData(data, signature, algorithm switch { 8 => HashAlgorithmName.SHA256, 10 => HashAlgorithmName.SHA512, _ => HashAlgorithmName.SHA1 },
                    RSASignaturePadding.Pkcs1) ? SignatureCheck.Valid : SignatureCheck.Invalid,
                ECDsa ecdsa when signature.Length == (algorithm == 13 ? 64 : 96) => ecdsa.VerifyData(data, signature,
                    algorithm == 13 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                    ? SignatureCheck.Valid : SignatureCheck.Invalid,
                _ => SignatureCheck.Invalid,
            };
        }
        catch (CryptographicException)
        {
            return SignatureCheck.Invalid;
        }
    }

    /// <summary>The key as .NET's cryptography takes it; null when the key material is malformed.</summary>
    private static AsymmetricAlgorithm? Import(byte algorithm, byte[] publicKey)
    {
        try
        {
            if (algorithm is 13 or 14)
            {
                var size = algorithm == 13 ? 32 : 48;
                return publicKey.Length != 2 * size ? null : ECDsa.Create(new ECParameters
                {
                    Curve = algorithm == 13 ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384,
                    Q = new ECPoint { X = publicKey[..size], Y = publicKey[size..] },
                });
            }

            var rsa = RSA.Create();
            rsa.ImportParameters(RsaKey(publicKey));
            return rsa;
        }
        catch (Exception error) when (error is CryptographicException or IndexOutOfRangeException or ArgumentException)
        {
            return null;
        }
    }

    // RFC 3110 §2: exponent length (1 octet, or 0 and then 2 octets), exponent, modulus.
    private static RSAParameters RsaKey(byte[] key)
    {
        int offset = 1, length = key[0];
        if (length == 0)
        {
            length = (key[1] << 8) | key[2];
            offset = 3;
        }

        return new RSAParameters { Exponent = key[offset..(offset + length)], Modulus = key[(offset + length)..] };
    }
}
