using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using RulesApi.Rules.Diagnosis;

namespace RulesApi.Api.Features.Diagnose;

/// <summary>
/// A JSON request body read into its fields. A small body (a fixture, a zone of a few records) is made a document where the
/// server received it; one up to a megabyte by the document's own reader, which collects it in buffers from the shared pool;
/// a large one (a zone of megabytes in <c>zoneFile</c>) is collected into
/// one array of its own, which the collector takes back after the request, and read field by field
/// (<see cref="DiagnosisRequestJson.ReadLarge"/>) rather than made a document.
/// </summary>
/// <remarks>
/// The pool's buffers grow by doubling, and a document of a large body rents a table as large as the body; every one
/// is given back to the pool, where each thread keeps one of every size and gives none back while memory is plentiful.
/// Since requests land on different threads, a service answering one 1M-record audit (a 42 MB body) after another grew
/// by ~75 MiB a request: from 360 MiB to 1.9 GiB over 20 (bench/zone-audit.sh's JSON rows).
/// </remarks>
public static class JsonBody
{
    /// <summary>Bodies up to this size go through the pool: the pool's arrays for them are small, and reused.</summary>
    public const int PooledUpTo = 1 << 20;

    /// <summary>
    /// Bodies up to this size are parsed where the server received them (<see cref="WholeAsync"/>), which holds the whole body
    /// in the server's request buffer until it has all come: well under Kestrel's limit for that buffer (1 MiB by default), past
    /// which such a read would wait for bytes the server stops taking. Larger pooled bodies are read through a stream.
    /// </summary>
    public const int ReadInPlaceUpTo = 64 * 1024;

    /// <summary>The body's fields, or null with <paramref name="errors"/> filled.</summary>
    /// <exception cref="JsonException">The body is not JSON.</exception>
    public static async ValueTask<DiagnosisRequestFields?> ReadAsync(HttpRequest request, List<FieldError> errors, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } small && small <= ReadInPlaceUpTo)
        {
            // Read where the server received it (the request's pipe), not copied through a stream into the document's own
            // buffer: a small body is usually in one segment already, and a fixture request is a few dozen bytes.
            var reader = request.BodyReader;
            var received = await WholeAsync(reader, cancellationToken);
            try
            {
                using var document = JsonDocument.Parse(WithoutByteOrderMark(received));
                return DiagnosisRequestJson.Read(document.RootElement, errors, zoneFileAsBytes: true);
            }
            finally
            {
                reader.AdvanceTo(received.End);
            }
        }

        if (request.ContentLength is { } declared && declared <= PooledUpTo)
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
            return DiagnosisRequestJson.Read(document.RootElement, errors, zoneFileAsBytes: true);
        }

        var body = await CollectAsync(request, cancellationToken);
        // The document's stream reader skips a UTF-8 byte-order mark; so does this one.
        return DiagnosisRequestJson.ReadLarge(body.Span.StartsWith("\uFEFF"u8) ? body[3..] : body, errors);
    }

    /// <summary>The whole body, once the client has sent it all (a declared length the server holds it to, and at most <see cref="ReadInPlaceUpTo"/>).</summary>
    private static async ValueTask<ReadOnlySequence<byte>> WholeAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            if (read.IsCompleted)
            {
                return read.Buffer;
            }

            // A canceled read is not the end of the body: nothing here cancels it, and Kestrel hands one to a reader that
            // examined more than it consumed when it stops the connection gracefully (shutdown). The stream read on.

            // Nothing consumed, everything looked at: the next read returns once more has come.
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>The body without the UTF-8 byte-order mark it may start with, as the document's stream reader skipped it.</summary>
    private static ReadOnlySequence<byte> WithoutByteOrderMark(ReadOnlySequence<byte> body)
    {
        if (body.Length < 3)
        {
            return body;
        }

        Span<byte> start = stackalloc byte[3];
        body.Slice(0, 3).CopyTo(start);
        return start.SequenceEqual("\uFEFF"u8) ? body.Slice(3) : body;
    }

    /// <summary>
    /// The body in one array, grown as its bytes arrive and never past its declared length: the memory follows what was
    /// received, not what a client declares (forty connections that declare 16 MB and send a byte must not hold 640 MB).
    /// </summary>
    private static async Task<ReadOnlyMemory<byte>> CollectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var declared = request.ContentLength ?? long.MaxValue;
        // Not zeroed: every byte used is written by the read first.
        var buffer = GC.AllocateUninitializedArray<byte>((int)Math.Min(declared, FirstBlock));
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                var grown = (int)Math.Min(Math.Min(declared, 2L * buffer.Length), Array.MaxLength);
                if (grown == buffer.Length)
                {
                    // All that was declared has come; a server ends the body there.
                    break;
                }

                var larger = GC.AllocateUninitializedArray<byte>(grown);
                buffer.CopyTo(larger, 0);
                buffer = larger;
            }

            var read = await request.Body.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                // Also where a body shorter than its declared length ends (a server that does not hold the client to it):
                // read as far as it goes, as the document's reader reads a stream.
                break;
            }

            filled += read;
        }

        return buffer.AsMemory(0, filled);
    }

    /// <summary>The first array for a large body; each next one is twice as long.</summary>
    private const int FirstBlock = 2 * PooledUpTo;
}
