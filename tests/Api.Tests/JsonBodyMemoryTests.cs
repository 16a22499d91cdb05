using Microsoft.AspNetCore.Http;
using RulesApi.Api.Features.Diagnose;

namespace RulesApi.Api.Tests;

/// <summary>What a client that declares a length, and sends little, costs the service (<see cref="JsonBody"/>; found by a review).</summary>
public sealed class JsonBodyMemoryTests
{
    /// <summary>
    /// A client that declares a body just under Api:MaxBodyBytes and sends one byte must not make the service hold an
    /// array of the declared size: forty such connections (headers only) are 640 MB, and with a heap limit (a
    /// container) every other request fails with OutOfMemoryException. Before the large-body reader, memory followed the
    /// bytes received.
    /// </summary>
    [Fact]
    public async Task Memory_follows_the_bytes_received_not_the_length_declared()
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = 16_000_000;
        var body = new StalledStream("{"u8.ToArray());
        context.Request.Body = body;
        using var stop = new CancellationTokenSource();

        // Everything up to the first read that waits for the network runs on this thread, synchronously.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var reading = JsonBody.ReadAsync(context.Request, [], stop.Token);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.AsTask());
        Assert.True(body.Waited, "the reader never waited for more of the body");
        Assert.True(allocated < 4 << 20, $"{allocated} bytes allocated for a body of which 1 byte has arrived");
    }

    /// <summary>A body stream that gives its bytes, then waits for more until cancelled (a client that sends nothing more).</summary>
    private sealed class StalledStream(byte[] first) : Stream
    {
        private bool _given;

        public bool Waited { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_given)
            {
                _given = true;
                first.CopyTo(buffer);
                return first.Length;
            }

            Waited = true;
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
