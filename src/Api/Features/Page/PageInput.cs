using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using RulesApi.Rules.Diagnosis;

namespace RulesApi.Api.Features.Page;

/// <summary>
/// What a person typed into the page, field by field. The inputs carry the API's field names
/// (<c>domains</c>, <c>origin</c>, <c>zoneFile</c>, <c>acmCertificate</c>, <c>provider</c>), so the
/// parser's errors land beside the field they name. <see cref="ToFields"/> maps them onto the one
/// <see cref="DiagnosisRequestParser"/>; nothing here judges a name or a zone.
/// </summary>
public sealed record PageInput
{
    public string Domains { get; init; } = "";

    public string Origin { get; init; } = "";

    /// <summary>Zone text, pasted or uploaded. Never put in a link.</summary>
    public string ZoneFile { get; init; } = "";

    public string AcmCertificate { get; init; } = "";

    public string Provider { get; init; } = "";

    /// <summary>The CA that will issue (an id of <see cref="Rules.Facts.CertificateAuthorities"/>); empty for Amazon.</summary>
    public string Ca { get; init; } = "";

    /// <summary>True when a link says the diagnosis read zone text the link does not carry.</summary>
    public bool ZoneLeftOut { get; init; }

    /// <summary>Errors found before the parser (both a paste and a file, JSON that does not parse).</summary>
    public IReadOnlyList<FieldError> Errors { get; init; } = [];

    public bool IsEmpty => Domains.Trim().Length == 0 && ZoneFile.Trim().Length == 0 && AcmCertificate.Trim().Length == 0;

    public IReadOnlyList<string> DomainList => Domains
        .Split([',', ' ', '\n', '\r', '\t', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The request fields, or the errors that stop before the parser.</summary>
    public (DiagnosisRequestFields? Fields, IReadOnlyList<FieldError> Errors) ToFields()
    {
        var errors = Errors.ToList();
        JsonElement? certificate = null;
        if (AcmCertificate.Trim().Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(AcmCertificate);
                certificate = document.RootElement.Clone();
            }
            catch (JsonException error)
            {
                errors.Add(new FieldError("acmCertificate", $"is not JSON (the output of 'aws acm describe-certificate'): {error.Message}"));
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new DiagnosisRequestFields
        {
            Domains = DomainList.Count > 0 ? DomainList.ToList() : null,
            Origin = Origin.Trim().Length > 0 ? Origin.Trim() : null,
            ZoneFile = ZoneFile.Trim().Length > 0 ? ZoneFile : null,
            AcmCertificate = certificate,
            Provider = Provider.Trim().Length > 0 ? Provider.Trim() : null,
            Ca = Ca.Trim().Length > 0 ? Ca.Trim() : null,
        }, errors);
    }

    /// <summary>
    /// The query string of a link that reproduces this diagnosis: names, origin and provider as they
    /// are, the certificate description deflated into <c>cert</c>, and — instead of zone text, which
    /// never goes into a link — <c>zone=pasted</c>.
    /// </summary>
    public string ToQueryString()
    {
        var query = new List<KeyValuePair<string, string?>>();
        if (DomainList.Count > 0)
        {
            query.Add(new("domains", string.Join(',', DomainList)));
        }

        if (Origin.Trim().Length > 0)
        {
            query.Add(new("origin", Origin.Trim()));
        }

        if (Provider.Trim().Length > 0)
        {
            query.Add(new("provider", Provider.Trim()));
        }

        if (Ca.Trim().Length > 0)
        {
            query.Add(new("ca", Ca.Trim()));
        }

        if (AcmCertificate.Trim().Length > 0)
        {
            query.Add(new("cert", Pack(AcmCertificate)));
        }

        if (ZoneFile.Trim().Length > 0 || ZoneLeftOut)
        {
            query.Add(new("zone", "pasted"));
        }

        return QueryString.Create(query).ToString();
    }

    public static PageInput FromQuery(IQueryCollection query)
    {
        var errors = new List<FieldError>();
        var certificate = "";
        if (query["cert"].ToString() is { Length: > 0 } packed)
        {
            try
            {
                certificate = Unpack(packed);
            }
            catch (Exception error) when (error is FormatException or InvalidDataException)
            {
                errors.Add(new FieldError("acmCertificate", "The link's certificate ('cert') is damaged: paste the description again."));
            }
        }

        return new PageInput
        {
            Domains = query["domains"].ToString().Replace(",", "\n", StringComparison.Ordinal),
            Origin = query["origin"].ToString(),
            Provider = query["provider"].ToString(),
            Ca = query["ca"].ToString(),
            AcmCertificate = certificate,
            ZoneLeftOut = query["zone"].Count > 0,
            Errors = errors,
        };
    }

    public static async Task<PageInput> FromFormAsync(IFormCollection form)
    {
        var errors = new List<FieldError>();
        async Task<string> PastedOrUploaded(string field, string fileField)
        {
            var pasted = form[field].ToString();
            if (form.Files.GetFile(fileField) is not { Length: > 0 } file)
            {
                return pasted;
            }

            if (pasted.Trim().Length > 0)
            {
                errors.Add(new FieldError(field, "Paste the text or choose a file, not both."));
                return pasted;
            }

            using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8);
            return await reader.ReadToEndAsync();
        }

        var zone = await PastedOrUploaded("zoneFile", "zoneUpload");
        var certificate = await PastedOrUploaded("acmCertificate", "acmCertificateUpload");
        return new PageInput
        {
            Domains = form["domains"].ToString(),
            Origin = form["origin"].ToString(),
            Provider = form["provider"].ToString(),
            Ca = form["ca"].ToString(),
            ZoneFile = zone,
            AcmCertificate = certificate,
            Errors = errors,
        };
    }

    // The certificate description is a few KiB of JSON: deflated and base64url-encoded it keeps the
    // link short enough for a ticket, and needs no state on the server.
    private static string Pack(string json)
    {
        string minified;
        try
        {
            using var document = JsonDocument.Parse(json);
            minified = JsonSerializer.Serialize(document.RootElement);
        }
        catch (JsonException)
        {
            minified = json;
        }

        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(Encoding.UTF8.GetBytes(minified));
        }

        return WebEncoders.Base64UrlEncode(buffer.ToArray());
    }

    private static string Unpack(string packed)
    {
        using var deflate = new DeflateStream(new MemoryStream(WebEncoders.Base64UrlDecode(packed)), CompressionMode.Decompress);
        using var reader = new StreamReader(deflate, Encoding.UTF8);
        var buffer = new char[1024 * 1024];
        var length = reader.ReadBlock(buffer, 0, buffer.Length);
        return new string(buffer, 0, length);
    }
}
