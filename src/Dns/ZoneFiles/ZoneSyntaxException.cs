using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>Thrown inside the parser to abandon one entry; it never leaves <see cref="MasterFileParser"/>.</summary>
internal sealed class ZoneSyntaxException : Exception
{
    public ZoneSyntaxException(SourceLocation location, string message)
        : base(message)
    {
        Location = location;
    }

    public ZoneSyntaxException()
    {
    }

    public ZoneSyntaxException(string message)
        : base(message)
    {
    }

    public ZoneSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SourceLocation Location { get; }
}
