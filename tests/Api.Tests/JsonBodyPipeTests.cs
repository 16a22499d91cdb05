using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using RulesApi.Api.Features.Diagnose;

namespace RulesApi.Api.Tests;

/// <summary>A small JSON body read from the request's pipe (<see cref="JsonBody"/>).</summary>
public sealed class JsonBodyPipeTests
{
    /// <summary>
    /// Kestrel hands a canceled read to a reader that examined more than it consumed when it stops a connection
    /// gracefully (a shutdown while a body arrives); the body is not over then. Read through the stream, the request got
    /// its answer; read from the pipe, it was parsed half-received and refused as not JSON.
    /// </summary>
    [Fact]
    public async Task A_canceled_read_is_not_the_end_of_the_body()
    {
        var body = Encoding.UTF8.GetBytes("{\"fixture\":\"healthy\"}");
        var pipe = new Pipe();
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = body.Length;
        context.Features.Set<IRequestBodyPipeFeature>(new PipeFeature(pipe.Reader));

        await pipe.Writer.WriteAsync(body.AsMemory(0, 8));
        pipe.Reader.CancelPendingRead();
        var reading = JsonBody.ReadAsync(context.Request, [], CancellationToken.None);
        await pipe.Writer.WriteAsync(body.AsMemory(8));
        await pipe.Writer.CompleteAsync();

        var fields = await reading;
        Assert.Equal("healthy", fields?.Fixture);
    }

    private sealed class PipeFeature(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader { get; } = reader;
    }
}
