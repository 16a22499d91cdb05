using System.Text.Json;
using System.Text.Json.Serialization;
using RulesApi.Dns.Records;

namespace RulesApi.Rules.Report;

/// <summary>
/// A finding's place in the zone text as <c>{"line":3,"column":1}</c>, written directly. Without it the serializer's
/// generated code hands every finding's location (a nullable struct) to its general path, which allocates a stack of
/// frames each time: most of what writing a report allocated besides the text itself.
/// </summary>
public sealed class SourceLocationJson : JsonConverter<SourceLocation>
{
    private static readonly JsonEncodedText Line = JsonEncodedText.Encode("line");
    private static readonly JsonEncodedText Column = JsonEncodedText.Encode("column");

    public override void Write(Utf8JsonWriter writer, SourceLocation value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber(Line, value.Line);
        writer.WriteNumber(Column, value.Column);
        writer.WriteEndObject();
    }

    public override SourceLocation Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a location is an object with 'line' and 'column'");
        }

        int? line = null, column = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isLine = reader.ValueTextEquals("line");
            var isColumn = !isLine && reader.ValueTextEquals("column");
            reader.Read();
            if (isLine)
            {
                line = reader.GetInt32();
            }
            else if (isColumn)
            {
                column = reader.GetInt32();
            }
            else
            {
                reader.Skip();
            }
        }

        return line is { } l && column is { } c ? new SourceLocation(l, c) : throw new JsonException("a location needs both 'line' and 'column'");
    }
}
