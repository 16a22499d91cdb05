using System.Buffers;

namespace RulesApi.Rules.Report;

/// <summary>A report rendered whole by <see cref="ReportJson.Render"/>: its bytes, valid until disposed.</summary>
public readonly ref struct RenderedReport
{
    private readonly RenderBuffer _buffer;

    internal RenderedReport(RenderBuffer buffer)
    {
        _buffer = buffer;
        Bytes = buffer.Written;
    }

    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>Gives back a buffer grown for a large answer; the bytes are not to be read after this.</summary>
    public void Dispose() => _buffer.Shrink();
}

/// <summary>
/// Where a thread renders its reports: an array of its own for the usual answer (the sample zone with two names answers
/// 21 KB), and arrays from the shared pool, given back after each, for a larger one. An audit of 60 CAA owners answers
/// 176 KB and one of 100k records 440 KB: grown by fresh arrays, each such answer left twice its size on the large
/// object heap.
/// </summary>
internal sealed class RenderBuffer : IBufferWriter<byte>
{
    /// <summary>The array a thread keeps between reports.</summary>
    internal const int KeptBytes = 64 * 1024;

    private readonly byte[] _kept = new byte[KeptBytes];
    private byte[] _array;
    private int _written;

    public RenderBuffer() => _array = _kept;

    public ReadOnlySpan<byte> Written => _array.AsSpan(0, _written);

    public void Clear() => _written = 0;

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_written);
    }

    /// <summary>Back to the kept array: a pooled one goes back to the pool.</summary>
    public void Shrink()
    {
        if (!ReferenceEquals(_array, _kept))
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = _kept;
        }

        _written = 0;
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_array.Length - _written >= needed)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, _written + needed));
        Written.CopyTo(larger);
        if (!ReferenceEquals(_array, _kept))
        {
            ArrayPool<byte>.Shared.Return(_array);
        }

        _array = larger;
    }
}
