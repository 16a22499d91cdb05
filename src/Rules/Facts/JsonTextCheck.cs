using System.Text.Json;

namespace RulesApi.Rules.Facts;

/// <summary>
/// Finds text in a parsed JSON document that cannot become a .NET string: invalid UTF-8 in a string or
/// property name, or a <c>\u</c> escape that leaves half a surrogate pair. <see cref="JsonDocument"/>
/// accepts both and only <c>GetString</c> (or a property's <c>Name</c>) throws, deep inside whatever reads
/// the field; checking first lets a request be refused with the field's path instead (found by fuzzing).
/// </summary>
public static class JsonTextCheck
{
    /// <summary>The path of the first string or name that is not valid text, or null when all are.</summary>
    public static string? FirstInvalidText(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Decodes(() => element.GetString()) ? null : path;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstInvalidText(item, $"{path}[{index++}]") is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string? name = null;
                    if (!Decodes(() => name = property.Name))
                    {
                        return path;
                    }

                    if (FirstInvalidText(property.Value, path.Length == 0 ? name! : $"{path}.{name}") is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool Decodes(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
