using System.Buffers;
using System.Text.Json;
using RulesApi.Rules.Facts;

namespace RulesApi.Rules.Diagnosis;

/// <summary>
/// Reads the JSON body of <c>POST /diagnose</c> into <see cref="DiagnosisRequestFields"/>, reporting each
/// field of the wrong shape or unknown name by its path, in the API's words. A misspelled field must not be
/// ignored: <c>zone_file</c> left out would turn a zone audit into a live DNS check. The inside of
/// <c>acmCertificate</c> is AWS's document and may carry fields RulesApi does not read; it is not checked here.
/// </summary>
public static class DiagnosisRequestJson
{
    private static readonly string[] TopFields =
        ["domains", "zoneFile", "origin", "fixture", "validationRecords", "acmCertificate", "certificateArn", "provider", "ca", "parentDs"];

    private static readonly string[] RecordFields = ["name", "value", "type"];

    /// <summary>The name the body's field error has when the body as a whole is wrong.</summary>
    public const string BodyField = "body";

    /// <summary>
    /// The most problems one answer lists: a body of thousands of wrong fields gets the first ones and a line saying
    /// the rest were not looked at, rather than an answer larger than the body that took seconds to write.
    /// </summary>
    public const int MaxErrorsListed = 20;

    /// <summary>Reads the body; returns null and fills <paramref name="errors"/> when any field is wrong.</summary>
    /// <param name="zoneFileAsBytes">
    /// Whether <c>zoneFile</c> is unescaped into a <see cref="ZoneTextBuffer"/> (<see cref="DiagnosisRequestFields.ZoneText"/>,
    /// a byte a character, which the caller disposes) rather than made a string: the service's way, for large zones.
    /// </param>
    public static DiagnosisRequestFields? Read(JsonElement body, List<FieldError> errors, bool zoneFileAsBytes = false)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(BodyField,
                $"The body must be a JSON object such as {{\"domains\": [\"www.example.com\"]}}, not {Describe(body)}."));
            return null;
        }

        if (JsonTextCheck.FirstInvalidText(body, "") is { } invalid)
        {
            errors.Add(InvalidText(invalid));
            return null;
        }

        var before = errors.Count;
        var fields = new DiagnosisRequestFields();
        var stopped = false;
        var seen = 0;
        foreach (var property in body.EnumerateObject())
        {
            if (errors.Count - before >= MaxErrorsListed)
            {
                // Enough to act on: the rest of the body is not looked at (300,000 unknown fields were 2 s of suggestions).
                stopped = true;
                break;
            }

            var value = property.Value;
            switch (Once(Known(property.Name, TopFields, property.Name, errors), TopFields, ref seen, "", errors))
            {
                case "domains":
                    fields.Domains = Strings(value, "domains", "names such as [\"www.example.com\"]", errors);
                    break;
                case "zoneFile" when zoneFileAsBytes && value.ValueKind == JsonValueKind.String:
                    fields.ZoneText?.Dispose();
                    fields.ZoneText = ZoneTextBuffer.FromJsonString(value);
                    break;
                case "zoneFile":
                    fields.ZoneFile = Text(value, "zoneFile", "the zone's text", errors);
                    break;
                case "origin":
                    fields.Origin = Text(value, "origin", "a domain name such as \"example.com\"", errors);
                    break;
                case "fixture":
                    fields.Fixture = Text(value, "fixture", "a fixture's name (GET /fixtures lists them)", errors);
                    break;
                case "certificateArn":
                    fields.CertificateArn = Text(value, "certificateArn", "an ACM certificate's ARN such as \"arn:aws:acm:us-east-1:123456789012:certificate/…\"", errors);
                    break;
                case "provider":
                    fields.Provider = Text(value, "provider", "a provider's name such as \"route53\"", errors);
                    break;
                case "ca":
                    fields.Ca = Text(value, "ca", "a CA's id such as \"letsencrypt\"", errors);
                    break;
                case "parentDs":
                    fields.ParentDs = Strings(value, "parentDs", "DS records such as [\"12345 13 2 49FD…\"]", errors);
                    break;
                case "acmCertificate":
                    fields.AcmCertificate = value.ValueKind == JsonValueKind.Null ? null : value.Clone();
                    break;
                case "validationRecords":
                    fields.ValidationRecords = ValidationRecords(value, errors);
                    break;
            }
        }

        if (errors.Count > before)
        {
            if (errors.Count - before > MaxErrorsListed)
            {
                // An array's items are each a field: one array can hold more problems than a reader should be given.
                errors.RemoveRange(before + MaxErrorsListed, errors.Count - before - MaxErrorsListed);
                stopped = true;
            }

            if (stopped)
            {
                errors.Add(new FieldError(BodyField, $"There may be more problems: only the first {MaxErrorsListed} are listed. Fix them and send the body again."));
            }

            fields.ZoneText?.Dispose();
            return null;
        }

        return fields;
    }

    /// <summary>The error for text that is not valid, at a field (or a field name, when the path is empty).</summary>
    public static FieldError InvalidText(string path) => new(path.Length == 0 ? BodyField : path,
        $"{(path.Length == 0 ? "A field name" : path)} is not valid text (invalid UTF-8, or a \\u escape that leaves half a surrogate pair).");

    /// <summary>
    /// <see cref="Read"/> for a large body (a zone of megabytes in <c>zoneFile</c>), without making the whole body a
    /// document: a document of it rents a table from the shared pool as large as the body, and the pool keeps such
    /// arrays with the thread that gave them back. A reader walks the body's fields once; a string <c>zoneFile</c> is
    /// checked and unescaped from where it stands, and the other fields, which are small, are read by <see cref="Read"/>
    /// from a document of their own. The answers are those of <see cref="Read"/> over the whole body (tests compare them).
    /// </summary>
    /// <exception cref="JsonException">The body is not JSON, as a document would say it.</exception>
    public static DiagnosisRequestFields? ReadLarge(ReadOnlyMemory<byte> body, List<FieldError> errors)
    {
        var reader = new Utf8JsonReader(body.Span);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            // Refused whatever it holds; read to its end first, so that a body that is not JSON is refused as such.
            var kind = reader.TokenType;
            reader.Skip();
            while (reader.Read())
            {
            }

            using var standIn = JsonDocument.Parse(kind switch
            {
                JsonTokenType.StartArray => "[]",
                JsonTokenType.String => "\"\"",
                JsonTokenType.Number => "0",
                JsonTokenType.True => "true",
                JsonTokenType.False => "false",
                _ => "null",
            });
            return Read(standIn.RootElement, errors, zoneFileAsBytes: true);
        }

        var others = new ArrayBufferWriter<byte>(1024);
        others.Write("{"u8);
        ZoneTextBuffer? zone = null;
        try
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var start = (int)reader.TokenStartIndex;
                var nameEnd = start + reader.ValueSpan.Length + 2; // the name as written, between its quotes
                var isZoneFile = IsZoneFile(ref reader);
                reader.Read();
                if (isZoneFile && reader.TokenType == JsonTokenType.String)
                {
                    // A zoneFile given twice is refused by Read (below), as in a document; the text kept here is then let go.
                    var token = body.Span[(int)reader.TokenStartIndex..(int)reader.BytesConsumed];
                    zone?.Dispose();
                    zone = null;
                    if (JsonTextCheck.IsValidText(token))
                    {
                        zone = ZoneTextBuffer.FromJsonToken(token);
                        // An empty stand-in in its place, under its name as written: Read finds a zoneFile given twice
                        // where the document has it, and orders its problems as for the whole body.
                        Separate(others);
                        others.Write(body.Span[start..nameEnd]);
                        others.Write(":\"\""u8);
                        continue;
                    }

                    // Not text: the other fields get a stand-in that is not text either, in its place and under its name as
                    // written, so that Read refuses the body for the first field that is not text, as it does a document.
                    Separate(others);
                    others.Write(body.Span[start..nameEnd]);
                    others.Write(":\"\\ud800\""u8);
                    continue;
                }

                reader.Skip();
                Separate(others);
                others.Write(body.Span[start..(int)reader.BytesConsumed]);
            }

            // Past the object's end only white space may follow; the reader says so as a document does.
            while (reader.Read())
            {
            }

            others.Write("}"u8);
            using var rest = JsonDocument.Parse(others.WrittenMemory);
            var fields = Read(rest.RootElement, errors, zoneFileAsBytes: true);
            if (fields is not null && zone is not null)
            {
                fields.ZoneText?.Dispose();
                fields.ZoneText = zone;
                zone = null;
            }

            return fields;
        }
        finally
        {
            zone?.Dispose();
        }
    }

    /// <summary>The longest a property name can be, escaped, and still be <c>zoneFile</c>: every letter a <c>\u</c> escape.</summary>
    private const int MaxEscapedZoneFileName = 8 * 6;

    /// <summary>
    /// Whether the property name the reader is on is <c>zoneFile</c> as <see cref="Read"/> matches fields: unescaped, without
    /// case. A name that is not text is not it (Read refuses such a name; unescaping it would throw).
    /// </summary>
    private static bool IsZoneFile(ref Utf8JsonReader reader) =>
        reader.ValueSpan.Length <= MaxEscapedZoneFileName && JsonTextCheck.IsValidText(reader.ValueSpan)
        && string.Equals(reader.GetString(), "zoneFile", StringComparison.OrdinalIgnoreCase);

    private static void Separate(ArrayBufferWriter<byte> others)
    {
        if (others.WrittenCount > 1)
        {
            others.Write(","u8);
        }
    }

    private static List<ValidationRecordFields>? ValidationRecords(JsonElement value, List<FieldError> errors)
    {
        const string Expected = "objects with 'name' and 'value' (the CNAME records ACM asked for)";
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new FieldError("validationRecords", $"validationRecords must be an array of {Expected}, not {Describe(value)}."));
            return null;
        }

        var records = new List<ValidationRecordFields>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var path = $"validationRecords[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new FieldError(path, $"{path} must be an object with 'name' and 'value', not {Describe(item)}."));
                continue;
            }

            var record = new ValidationRecordFields();
            var seen = 0;
            foreach (var property in item.EnumerateObject())
            {
                var fieldPath = $"{path}.{property.Name}";
                switch (Once(Known(property.Name, RecordFields, fieldPath, errors), RecordFields, ref seen, path + ".", errors))
                {
                    case "name":
                        record.Name = Text(property.Value, fieldPath, "the record's name", errors);
                        break;
                    case "value":
                        record.Value = Text(property.Value, fieldPath, "the record's value", errors);
                        break;
                    case "type":
                        record.Type = Text(property.Value, fieldPath, "\"CNAME\"", errors);
                        break;
                }
            }

            records.Add(record);
        }

        return records;
    }

    /// <summary>The known field a property names (ignoring case, as the web's JSON does), or null after reporting it.</summary>
    public static string? Known(string name, string[] known, string path, List<FieldError> errors)
    {
        foreach (var field in known)
        {
            if (string.Equals(field, name, StringComparison.OrdinalIgnoreCase))
            {
                return field;
            }
        }

        var nearest = Nearest(name, known);
        errors.Add(new FieldError(path, nearest is not null
            ? $"unknown field '{Echo.Quoted(name)}'; did you mean '{nearest}'?"
            : $"unknown field '{Echo.Quoted(name)}'; the fields are {string.Join(", ", known.Select(f => $"'{f}'"))}."));
        return null;
    }

    /// <summary>
    /// The known field, or null after reporting it when the object gave it before: a document keeps both copies, and
    /// reading the last would drop the first without a word (<c>"domains"</c> twice diagnosed the second list alone).
    /// </summary>
    /// <remarks>The fields given so far are bits of <paramref name="seen"/>, one per field of <paramref name="known"/> (a set per body was garbage).</remarks>
    public static string? Once(string? field, string[] known, ref int seen, string parent, List<FieldError> errors)
    {
        if (field is null)
        {
            return null;
        }

        var bit = 1 << Array.IndexOf(known, field);
        if ((seen & bit) == 0)
        {
            seen |= bit;
            return field;
        }

        errors.Add(new FieldError(parent + field, $"'{field}' is given more than once; give each field once."));
        return null;
    }
    /// <summary>
    /// The known field closest to a misspelling: compared without case, '_' and '-' (zone_file is zoneFile),
    /// and only when it is a few edits away, so that an unrelated name gets the list instead of a guess.
    /// </summary>
    public static string? Nearest(string name, IEnumerable<string> known)
    {
        static string Fold(string text) => new(text.Where(c => c is not ('_' or '-')).Select(char.ToLowerInvariant).ToArray());
        var folded = Fold(name);
        var best = known.Select(field => (Field: field, Distance: EditDistance(folded, Fold(field)))).MinBy(pair => pair.Distance);
        return best.Field is not null && best.Distance <= Math.Max(1, Math.Min(3, best.Field.Length / 3)) ? best.Field : null;
    }

    /// <summary>Edits between two names, a swap of neighbours counting as one (optimal string alignment): "nmae" is one from "name".</summary>
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private static string? Text(JsonElement value, string path, string expected, List<FieldError> errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return StringOf(value, path, errors);
            case JsonValueKind.Null:
                return null;
            default:
                errors.Add(new FieldError(path, $"{path} must be a string ({expected}), not {Describe(value)}."));
                return null;
        }
    }

    private static List<string>? Strings(JsonElement value, string path, string expected, List<FieldError> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new FieldError(path, $"{path} must be an array of strings ({expected}), not {Describe(value)}."));
            return null;
        }

        var strings = new List<string>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                if (StringOf(item, $"{path}[{i}]", errors) is { } text)
                {
                    strings.Add(text);
                }
            }
            else
            {
                errors.Add(new FieldError($"{path}[{i}]", $"{path}[{i}] must be a string, not {Describe(item)}."));
            }

            i++;
        }

        return strings;
    }

    private static string? StringOf(JsonElement value, string path, List<FieldError> errors)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            // "\ud800": valid JSON, but not text .NET can hold as a string.
            errors.Add(new FieldError(path, $"{path} is not valid text (it has an unpaired UTF-16 surrogate escape)."));
            return null;
        }
    }

    /// <summary>What a JSON value is, in the words a field's error uses ("not an array"): shared by every body read field by field.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        _ => "null",
    };
}
