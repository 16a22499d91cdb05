using System.Security.Cryptography;

namespace RulesApi.Dns.DnsSec;

/// <summary>
/// The public keys one thread has imported for signature checks, by algorithm and key bytes, at most
/// <see cref="Capacity"/> of them: importing a key costs more than a verification and a zone has a
/// handful, but a service sees new keys with every request, so the oldest import is dropped (and
/// disposed) to make room instead of every key ever seen being kept.
/// </summary>
internal sealed class ImportedKeys
{
    public const int Capacity = 64;

    private readonly Dictionary<string, AsymmetricAlgorithm?> _keys = new(StringComparer.Ordinal);
    private readonly Queue<string> _oldestFirst = new();
    private byte[]? _lastBytes;
    private byte _lastAlgorithm;
    private AsymmetricAlgorithm? _lastKey;

    public int Count => _keys.Count;

    public AsymmetricAlgorithm? GetOrImport(byte algorithm, byte[] publicKey, Func<byte, byte[], AsymmetricAlgorithm?> import)
    {
        // A zone's signatures are checked one after another with the same key object: no lookup for those.
        if (ReferenceEquals(publicKey, _lastBytes) && algorithm == _lastAlgorithm)
        {
            return _lastKey;
        }

        var key = Find(algorithm, publicKey, import);
        (_lastBytes, _lastAlgorithm, _lastKey) = (publicKey, algorithm, key);
        return key;
    }

    private AsymmetricAlgorithm? Find(byte algorithm, byte[] publicKey, Func<byte, byte[], AsymmetricAlgorithm?> import)
    {
        var id = string.Concat(algorithm.ToString(System.Globalization.CultureInfo.InvariantCulture), ":", Convert.ToBase64String(publicKey));
        if (_keys.TryGetValue(id, out var key))
        {
            return key;
        }

        while (_keys.Count >= Capacity && _oldestFirst.TryDequeue(out var oldest))
        {
            if (_keys.Remove(oldest, out var dropped))
            {
                if (ReferenceEquals(dropped, _lastKey))
                {
                    (_lastBytes, _lastKey) = (null, null);
                }

                dropped?.Dispose();
            }
        }

        key = import(algorithm, publicKey);
        _keys[id] = key;
        _oldestFirst.Enqueue(id);
        return key;
    }
}
