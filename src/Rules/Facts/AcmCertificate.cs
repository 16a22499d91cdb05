using System.Text.Json;
using RulesApi.Dns.Names;

namespace RulesApi.Rules.Facts;

/// <summary>The validation record ACM published for one domain (DomainValidation.ResourceRecord).</summary>
public sealed record AcmResourceRecord(DnsName Name, string Type, DnsName Value);

/// <summary>One entry of DomainValidationOptions.</summary>
public sealed record AcmDomainValidation(DnsName DomainName, string? ValidationMethod, string? ValidationStatus, AcmResourceRecord? ResourceRecord);

/// <summary>
/// The parts of <c>aws acm describe-certificate</c> output that matter for a diagnosis. Either the
/// whole document (<c>{"Certificate": {...}}</c>) or the inner object is accepted.
/// </summary>
public sealed record AcmCertificate(
    string? Arn,
    DnsName DomainName,
    IReadOnlyList<DnsName> SubjectAlternativeNames,
    string? Status,
    string? FailureReason,
    IReadOnlyList<AcmDomainValidation> DomainValidationOptions)
{
    /// <summary>Every name on the certificate, the domain name first, without repeats.</summary>
    public IReadOnlyList<DnsName> Names => SubjectAlternativeNames.Prepend(DomainName).Distinct().ToList();

    /// <summary>
    /// Reads the certificate description. Problems are returned as (field path, message) pairs, the
    /// path written as the request names it (<c>acmCertificate.DomainValidationOptions[1].ResourceRecord.Type</c>).
    /// </summary>
    public static AcmCertificate? Parse(JsonElement json, string path, List<KeyValuePair<string, string>> errors)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "must be the JSON object printed by 'aws acm describe-certificate'."));
            return null;
        }

        if (JsonTextCheck.FirstInvalidText(json, path) is { } invalid)
        {
            errors.Add(new(invalid, "is not valid text (invalid UTF-8, or a \\u escape that leaves half a surrogate pair)."));
            return null;
        }

        if (json.TryGetProperty("Certificate", out var inner))
        {
            return Parse(inner, path + ".Certificate", errors);
        }

        var before = errors.Count;
        var domain = Name(json, "DomainName", path, errors, required: true);
        var sans = new List<DnsName>();
        if (json.TryGetProperty("SubjectAlternativeNames", out var sanArray) && sanArray.ValueKind != JsonValueKind.Null)
        {
            if (sanArray.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new(path + ".SubjectAlternativeNames", "must be an array of names."));
            }
            else
            {
                var i = 0;
                foreach (var san in sanArray.EnumerateArray())
                {
                    if (HostNameOf(san, $"{path}.SubjectAlternativeNames[{i++}]", errors) is { } name)
                    {
                        sans.Add(name);
                    }
                }
            }
        }

        var validations = new List<AcmDomainValidation>();
        if (json.TryGetProperty("DomainValidationOptions", out var options) && options.ValueKind != JsonValueKind.Null)
        {
            if (options.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new(path + ".DomainValidationOptions", "must be an array."));
            }
            else
            {
                var i = 0;
                foreach (var option in options.EnumerateArray())
                {
                    if (ParseValidation(option, $"{path}.DomainValidationOptions[{i++}]", errors) is { } validation)
                    {
                        validations.Add(validation);
                    }
                }
            }
        }

        var arn = Text(json, "CertificateArn", path, errors);
        var status = Text(json, "Status", path, errors);
        var reason = Text(json, "FailureReason", path, errors);
        return errors.Count > before || domain is null ? null : new AcmCertificate(arn, domain, sans, status, reason, validations);
    }

    private static AcmDomainValidation? ParseValidation(JsonElement option, string path, List<KeyValuePair<string, string>> errors)
    {
        if (option.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "must be an object."));
            return null;
        }

        var domain = Name(option, "DomainName", path, errors, required: true);
        AcmResourceRecord? record = null;
        if (option.TryGetProperty("ResourceRecord", out var rr) && rr.ValueKind is not (JsonValueKind.Null or JsonValueKind.Object))
        {
            errors.Add(new(path + ".ResourceRecord", "must be an object with Name, Type and Value (the CNAME ACM asks for)."));
        }
        else if (rr.ValueKind == JsonValueKind.Object)
        {
            var rrPath = path + ".ResourceRecord";
            var type = Text(rr, "Type", rrPath, errors);
            if (type is not null && !string.Equals(type, "CNAME", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(new(rrPath + ".Type", $"is '{Diagnosis.Echo.Quoted(type)}'; ACM's DNS validation records are always CNAME."));
            }

            var name = DnsNameOf(rr, "Name", rrPath, errors);
            var value = DnsNameOf(rr, "Value", rrPath, errors);
            if (name is not null && value is not null)
            {
                record = new AcmResourceRecord(name, "CNAME", value);
            }
        }

        return domain is null ? null : new AcmDomainValidation(domain, Text(option, "ValidationMethod", path, errors),
            Text(option, "ValidationStatus", path, errors), record);
    }

    private static string? Text(JsonElement json, string property, string path, List<KeyValuePair<string, string>> errors)
    {
        if (!json.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new($"{path}.{property}", "must be a string."));
            return null;
        }

        return StringOf(value, $"{path}.{property}", errors);
    }

    private static DnsName? Name(JsonElement json, string property, string path, List<KeyValuePair<string, string>> errors, bool required)
    {
        if (!json.TryGetProperty(property, out var value))
        {
            if (required)
            {
                errors.Add(new($"{path}.{property}", "is missing."));
            }

            return null;
        }

        return HostNameOf(value, $"{path}.{property}", errors);
    }

    private static DnsName? HostNameOf(JsonElement value, string path, List<KeyValuePair<string, string>> errors)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new(path, "must be a string."));
            return null;
        }

        if (StringOf(value, path, errors) is not { } text)
        {
            return null;
        }

        if (!HostName.TryParse(text, out var name, out var error))
        {
            errors.Add(new(path, error));
            return null;
        }

        return name;
    }

    /// <summary>A JSON string as text; one with an unpaired surrogate escape (<c>"\ud800"</c>) cannot be, and is reported.</summary>
    internal static string? StringOf(JsonElement value, string path, List<KeyValuePair<string, string>> errors)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            errors.Add(new(path, "is not valid text (it has an unpaired UTF-16 surrogate escape)."));
            return null;
        }
    }

    /// <summary>A validation record's name or value: any DNS name (underscores included), made absolute.</summary>
    public static DnsName? DnsNameOf(JsonElement json, string property, string path, List<KeyValuePair<string, string>> errors)
    {
        var before = errors.Count;
        var text = Text(json, property, path, errors);
        if (text is null)
        {
            if (errors.Count == before)
            {
                errors.Add(new($"{path}.{property}", "is missing."));
            }

            return null;
        }

        if (!TryRecordName(text, out var name, out var error))
        {
            errors.Add(new($"{path}.{property}", error));
            return null;
        }

        return name;
    }

    /// <summary>Parses a record name or CNAME value given as text: letters, digits, '-', '_' and dots; at least two labels.</summary>
    public static bool TryRecordName(string text, out DnsName name, out string error)
    {
        name = DnsName.Root;
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            error = $"'{Diagnosis.Echo.Quoted(text)}' is not a DNS name (letters, digits, '-', '_' and dots only).";
            return false;
        }

        if (!DnsName.TryParse(trimmed.EndsWith('.') ? trimmed : trimmed + ".", out name, out var parseError) || name.LabelCount < 2)
        {
            error = $"'{Diagnosis.Echo.Quoted(text)}' is not a DNS name{(parseError is null ? " (it needs at least two labels)" : ": " + parseError)}.";
            return false;
        }

        error = "";
        return true;
    }
}
