using System.Text;
using System.Text.Json;
using RulesApi.Dns.Live;
using RulesApi.Rules.Caa;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Runtime;

namespace RulesApi.Fuzz;

/// <summary>
/// The fuzz targets. Each reads one input and runs it through a piece of RulesApi that takes untrusted
/// text. Bad input is a result, not a crash: a refused request, a zone with ZONE findings, a CAA value
/// with an error, a JSON body that is not JSON (which the API answers 400). Any other exception escapes and
/// is what AFL records as a crash — and so is a rule that throws, which the service would hide as an
/// inconclusive finding.
/// </summary>
public static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Action<Stream>> All = new Dictionary<string, Action<Stream>>(StringComparer.Ordinal)
    {
        ["zone"] = Zone,
        ["request"] = Request,
        ["caa"] = Caa,
        ["acm"] = Acm,
    };

    // The service's limit on a body is 16 MiB; inputs this large only slow the fuzzer down.
    private const int MaxInput = 1 << 20;

    // Lazy: instrumented code may run only inside the fuzz loop, once SharpFuzz has mapped AFL's coverage memory.
    private static readonly Lazy<RuleCatalog> Catalog = new(() => new RuleCatalog(RuleCatalog.BuiltInRules()));

    /// <summary>Zone text → parse → integrity → every rule: the audit POST /diagnose runs for a zoneFile alone.</summary>
    public static void Zone(Stream input)
    {
        var text = ReadText(input);
        var parsed = DiagnosisRequestParser.Parse(new DiagnosisRequestFields { ZoneFile = text, Origin = "example.com" });
        if (parsed.Request is { } request)
        {
            Diagnose(request);
        }
    }

    /// <summary>
    /// POST /diagnose binding and validation. The first byte picks the form: even, a JSON body
    /// (DiagnosisRequestJson, then DiagnosisRequestParser); odd, <c>text/dns</c>, whose first line is the
    /// query string (<c>origin=…&amp;domains=…</c>) and the rest the zone.
    /// </summary>
    public static void Request(Stream input)
    {
        var bytes = ReadBytes(input);
        if (bytes.Length == 0)
        {
            return;
        }

        DiagnosisRequestFields? fields;
        if (bytes[0] % 2 == 0)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(bytes.AsMemory(1));
            }
            catch (JsonException)
            {
                return; // 400 "The body is not JSON."
            }

            using (document)
            {
                var errors = new List<FieldError>();
                fields = DiagnosisRequestJson.Read(document.RootElement, errors, zoneFileAsBytes: true);
                SameAsReadLarge(bytes.AsMemory(1), fields, errors);
            }
        }
        else
        {
            var text = Encoding.UTF8.GetString(bytes, 1, bytes.Length - 1);
            var newline = text.IndexOf('\n', StringComparison.Ordinal);
            var query = newline < 0 ? text : text[..newline];
            var zone = newline < 0 ? "" : text[(newline + 1)..];
            var pairs = query.Split('&').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToList();
            fields = DiagnosisRequestText.Fields(zone,
                pairs.FirstOrDefault(p => p[0] == "origin")?[1],
                pairs.Where(p => p[0] == "domains").Select(p => (string?)p[1]));
        }

        if (fields is not null)
        {
            _ = DiagnosisRequestParser.Parse(fields);
            fields.ZoneText?.Dispose();
        }
    }

    /// <summary>
    /// The service reads a body over 1 MiB field by field (<see cref="DiagnosisRequestJson.ReadLarge"/>) instead of as a
    /// document: on any body, both must give the same fields or the same errors.
    /// </summary>
    private static void SameAsReadLarge(ReadOnlyMemory<byte> body, DiagnosisRequestFields? expected, List<FieldError> expectedErrors)
    {
        var errors = new List<FieldError>();
        var fields = DiagnosisRequestJson.ReadLarge(body, errors);
        try
        {
            if (!errors.SequenceEqual(expectedErrors) || Describe(fields) != Describe(expected))
            {
                throw new InvalidOperationException(
                    $"ReadLarge differs from Read: {Describe(fields)} [{string.Join("; ", errors)}] against {Describe(expected)} [{string.Join("; ", expectedErrors)}]");
            }
        }
        finally
        {
            fields?.ZoneText?.Dispose();
        }
    }

    private static string Describe(DiagnosisRequestFields? fields)
    {
        if (fields is null)
        {
            return "null";
        }

        using var zone = fields.ZoneText?.Open();
        return string.Join("|", fields.ZoneFile, zone?.ReadToEnd(), fields.Origin, fields.Fixture, fields.CertificateArn, fields.Provider, fields.Ca,
            fields.Domains is null ? "-" : string.Join(",", fields.Domains), fields.ParentDs is null ? "-" : string.Join(",", fields.ParentDs),
            fields.ValidationRecords is null ? "-" : string.Join(",", fields.ValidationRecords.Select(r => $"{r.Name}={r.Value}:{r.Type}")),
            fields.AcmCertificate?.GetRawText());
    }

    /// <summary>The CAA issuer-value grammar (RFC 8659 §4.2) on any text.</summary>
    public static void Caa(Stream input)
    {
        var value = IssuerValue.Parse(ReadText(input));
        if (value.IsValid != (value.Error is null) || (value.Error is not null && (value.ErrorIndex < 0 || value.ErrorIndex > value.Raw.Length)))
        {
            throw new InvalidOperationException($"IssuerValue reports an error outside its text: {value}");
        }
    }

    /// <summary>The describe-certificate reader on any JSON (every field as string, number, array, object or null).</summary>
    public static void Acm(Stream input)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(ReadBytes(input));
        }
        catch (JsonException)
        {
            return;
        }

        using (document)
        {
            var errors = new List<KeyValuePair<string, string>>();
            var certificate = AcmCertificate.Parse(document.RootElement, "acmCertificate", errors);
            if (certificate is null && errors.Count == 0)
            {
                throw new InvalidOperationException("AcmCertificate.Parse refused a description without saying why");
            }
        }
    }

    private static void Diagnose(DiagnosisRequest request)
    {
        Exception? ruleFailure = null;
        var engine = new RuleEngine(Catalog.Value) { RuleFailed = (rule, error) => ruleFailure ??= new InvalidOperationException($"rule {rule} threw", error) };
        var diagnoser = new Diagnoser(engine, RuleProfile.Default, new LiveDnsOptions());
        diagnoser.RunAsync(request, CancellationToken.None).GetAwaiter().GetResult();
        if (ruleFailure is not null)
        {
            throw ruleFailure;
        }
    }

    private static byte[] ReadBytes(Stream input)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (buffer.Length < MaxInput && (read = input.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string ReadText(Stream input) => Encoding.UTF8.GetString(ReadBytes(input));
}
