using RulesApi.Dns.Names;
using RulesApi.Dns.Records;
using RulesApi.Fixtures;
using RulesApi.Rules.Facts;
using RulesApi.Rules.Report;

namespace RulesApi.Rules.Diagnosis;

/// <summary>A field of the request that is wrong, by its path as the JSON names it (<c>domains[2]</c>, <c>validationRecords[0].value</c>).</summary>
public sealed record FieldError
{
    /// <summary>Both cut short (<see cref="Echo"/>): a path can hold an unknown field's name, a message the value that was wrong.</summary>
    public FieldError(string field, string message)
    {
        Field = Echo.Short(field, Echo.MaxField);
        Message = Echo.Short(message, Echo.MaxMessage);
    }

    public string Field { get; }

    public string Message { get; }

    public void Deconstruct(out string field, out string message) => (field, message) = (Field, Message);
}

/// <summary>The outcome of parsing: the typed request, or every bad field.</summary>
public sealed record ParsedRequest(DiagnosisRequest? Request, IReadOnlyList<FieldError> Errors)
{
    public bool Ok => Request is not null;
}

/// <summary>
/// The one parser of diagnosis requests. Every caller — the JSON body, a <c>text/dns</c> body with its
/// query string, the command line — fills a <see cref="DiagnosisRequestFields"/> and hands it here; every
/// mistake is reported by its field path, all of them at once.
/// </summary>
public static class DiagnosisRequestParser
{
    /// <summary>Names per request, counting the certificate's: ACM allows 100 names per certificate.</summary>
    public const int MaxNames = 100;

    /// <summary>
    /// DS records in <c>parentDs</c>: a registrar publishes one or two per key, and a rollover doubles that;
    /// sixteen is plenty, and each one is checked against every key of the zone.
    /// </summary>
    public const int MaxParentDs = 16;

    /// <summary>Parses the fields. <paramref name="zone"/> is zone text streamed from elsewhere (a file); then <c>zoneFile</c> must be empty.</summary>
    public static ParsedRequest Parse(DiagnosisRequestFields fields, Func<TextReader>? zone = null)
    {
        // The helpers below add to the list themselves: passing this function to them made a delegate at each call (and
        // its closure) for every request.
        var errors = new List<FieldError>();
        void Fail(string field, string message) => errors.Add(new FieldError(field, message));

        var hasZone = fields.ZoneFile is not null || fields.ZoneText is not null || zone is not null;
        if (fields.Domains is not { Count: > 0 } && !hasZone && fields.Fixture is null && fields.AcmCertificate is null && fields.CertificateArn is null && fields.ValidationRecords is not { Count: > 0 })
        {
            Fail("domains", "Give 'domains' (names to check), 'zoneFile' (zone text to audit), 'fixture', 'acmCertificate', 'certificateArn' or 'validationRecords'.");
        }

        var names = new List<DnsName>();
        if (fields.Domains is { Count: > MaxNames })
        {
            Fail("domains", $"At most {MaxNames} names per request (ACM allows 100 names per certificate).");
        }
        else
        {
            for (var i = 0; i < (fields.Domains?.Count ?? 0); i++)
            {
                if (HostName.TryParse(fields.Domains![i], out var name, out var error))
                {
                    names.Add(name);
                }
                else
                {
                    Fail($"domains[{i}]", error);
                }
            }
        }

        FixtureScenario? scenario = null;
        if (fields.Fixture is { } fixtureName && !FixtureScenario.BuiltIn.TryGetValue(fixtureName, out scenario))
        {
            Fail("fixture", $"There is no fixture '{Echo.Quoted(fixtureName)}'; GET /fixtures lists them.");
        }

        if (fields.Fixture is not null && hasZone)
        {
            Fail("fixture", "Give either 'fixture' or 'zoneFile', not both.");
        }

        DnsProvider? provider = null;
        if (fields.Provider is { Length: > 0 } providerText)
        {
            if (DnsProviders.TryParse(providerText, out var parsed))
            {
                provider = parsed;
            }
            else
            {
                Fail("provider", $"'{Echo.Quoted(providerText)}' is not a provider RulesApi knows: use {string.Join(", ", DnsProviders.Names)}.");
            }
        }

        if (fields.Ca is { } caText && (caText.Length == 0 || caText.Length > 63 || !caText.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            Fail("ca", $"'{Echo.Quoted(caText)}' is not a CA's id: use {string.Join(", ", CertificateAuthorities.Ids())}.");
        }

        var parentDs = new List<DsData>();
        var parentDsOwners = new List<(string Field, DnsName Owner)>();
        if (fields.ParentDs is { Count: > 0 } && !hasZone)
        {
            // Only a zone audit reads them (DnssecFacts): a fixture or live DNS has the parent's DS records of its own.
            Fail("parentDs", "is read only with zone text ('zoneFile'): a fixture or live DNS gives the parent's DS records itself. Send the zone, or leave 'parentDs' out.");
        }

        if (fields.ParentDs is { Count: > MaxParentDs })
        {
            Fail("parentDs", $"At most {MaxParentDs} DS records (a registrar publishes one or two per key), not {fields.ParentDs.Count}.");
        }

        for (var i = 0; i < (fields.ParentDs is { Count: <= MaxParentDs } ? fields.ParentDs.Count : 0); i++)
        {
            if (fields.ParentDs![i] is { } dsText && DsData.TryParse(dsText, out var ds, out _))
            {
                parentDs.Add(ds);
                if (DsOwner(dsText) is { } owner)
                {
                    parentDsOwners.Add(($"parentDs[{i}]", owner));
                }
            }
            else
            {
                Fail($"parentDs[{i}]", "must be a DS record: key tag, algorithm, digest type and digest in hex (e.g. \"12345 13 2 49FD46E6…\")");
            }
        }

        var givenAt = ParseValidationRecords(fields.ValidationRecords, errors);
        AcmCertificate? certificate = null;
        if (fields.AcmCertificate is { } json)
        {
            var certificateErrors = new List<KeyValuePair<string, string>>();
            certificate = AcmCertificate.Parse(json, "acmCertificate", certificateErrors);
            foreach (var (field, message) in certificateErrors)
            {
                Fail(field, message);
            }
        }

        ConflictingValidationValues(givenAt, certificate, errors);
        var given = new List<GivenValidation>(givenAt.Count);
        foreach (var (_, record) in givenAt)
        {
            given.Add(record);
        }


        // The ARN itself is checked and looked up in ACM before parsing (RulesApi.Acm); the answer comes
        // back here as acmCertificate, so a request can carry only one of them.
        if (fields.CertificateArn is not null && fields.AcmCertificate is not null)
        {
            Fail("certificateArn", "Give either 'certificateArn' (looked up in ACM) or 'acmCertificate' (its description), not both.");
        }

        DnsName? origin = null;
        if (fields.Origin is not null && !hasZone)
        {
            // It names zone text; without any, a fixture or live DNS was diagnosed and the origin dropped without a word.
            Fail("origin", "names the zone text ('zoneFile'), and there is none: send the zone, or leave 'origin' out.");
        }
        else if (fields.Origin is { Length: 0 })
        {
            // "" + "." is the root: an empty ?origin= or --origin "" audited the zone as the root's, every name "ok".
            Fail("origin", "is empty: give the zone's name, e.g. example.com, or leave 'origin' out when the zone text has $ORIGIN or an SOA with a full name.");
        }
        else if (fields.Origin is { } originText)
        {
            if (DnsName.TryParse(originText.EndsWith('.') ? originText : originText + ".", out var parsedOrigin, out var error))
            {
                origin = parsedOrigin;
            }
            else
            {
                Fail("origin", $"'{Echo.Quoted(originText)}' is not a domain name: {error}.");
            }
        }

        // Counted only when there may be too many: there are never more distinct names than names.
        if (errors.Count == 0 && names.Count + (certificate?.Names.Count ?? 0) > MaxNames && names.Concat(certificate?.Names ?? []).Distinct().Count() > MaxNames)
        {
            Fail("domains", $"At most {MaxNames} names per request, counting the certificate's.");
        }

        if (errors.Count > 0)
        {
            return new ParsedRequest(null, errors);
        }

        DiagnosisInput input = scenario is not null
            ? new DiagnosisInput.Fixture(scenario)
            : zone is not null
                ? new DiagnosisInput.ZoneText(zone, origin)
                : fields.ZoneText is { } buffer
                    ? new DiagnosisInput.ZoneText(buffer.Open, origin) { Bytes = buffer }
                    : fields.ZoneFile is { } zoneText
                        ? DiagnosisInput.ZoneText.FromString(zoneText, origin)
                        : new DiagnosisInput.Live();
        return new ParsedRequest(new DiagnosisRequest(input)
        {
            Names = names,
            ValidationRecords = given,
            Certificate = certificate,
            Provider = provider,
            Ca = fields.Ca,
            ParentDs = parentDs,
            ParentDsOwners = parentDsOwners,
        }, errors);
    }

    /// <summary>
    /// One validation name with two values is a contradiction, not a choice: the diagnosis keeps one record per name (the
    /// certificate's, then the first given), so the other value was dropped and the verdict followed the order of the lists.
    /// </summary>
    private static void ConflictingValidationValues(List<(string Path, GivenValidation Record)> given, AcmCertificate? certificate, List<FieldError> errors)
    {
        if (given.Count == 0)
        {
            // Nothing given that could contradict (the usual request): no table made.
            return;
        }

        var values = new Dictionary<DnsName, (string Source, DnsName Value)>();
        foreach (var option in certificate?.DomainValidationOptions ?? [])
        {
            // Those the diagnosis reads (ExpectedValidation.Collect): DNS validation's records.
            if (option.ResourceRecord is { } record && (option.ValidationMethod is not { } method || string.Equals(method, "DNS", StringComparison.OrdinalIgnoreCase)))
            {
                values.TryAdd(record.Name, ("acmCertificate", record.Value));
            }
        }

        foreach (var (path, record) in given)
        {
            if (!values.TryAdd(record.Name, (path, record.Value)) && values[record.Name] is var (source, value) && !value.Equals(record.Value))
            {
                errors.Add(new FieldError(path + ".value",
                    $"is '{Echo.Quoted(record.Value.ToString())}', but {source} gives {record.Name} the value '{Echo.Quoted(value.ToString())}': a validation name has one value; give it once."));
            }
        }
    }

    /// <summary>
    /// The owner a whole DS line names (<c>example.com. 3600 IN DS …</c>), or null when the line starts at its TTL, its
    /// class or its data. DsData reads the data after <c>DS</c> only.
    /// </summary>
    private static DnsName? DsOwner(string text)
    {
        var tokens = text.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var at = Array.FindIndex(tokens, t => t.Equals("DS", StringComparison.OrdinalIgnoreCase));
        if (at <= 0 || char.IsAsciiDigit(tokens[0][0]) || tokens[0] == "@"
            || tokens[0].ToUpperInvariant() is "IN" or "CH" or "HS" or "CS" || tokens[0].StartsWith("CLASS", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return DnsName.TryParse(tokens[0].EndsWith('.') ? tokens[0] : tokens[0] + ".", out var owner, out _) ? owner : null;
    }

    private static List<(string Path, GivenValidation Record)> ParseValidationRecords(List<ValidationRecordFields>? records, List<FieldError> errors)
    {
        void Fail(string field, string message) => errors.Add(new FieldError(field, message));

        var given = new List<(string Path, GivenValidation Record)>();
        if (records is { Count: > MaxNames })
        {
            Fail("validationRecords", $"At most {MaxNames} validation records per request.");
            return given;
        }

        for (var i = 0; i < (records?.Count ?? 0); i++)
        {
            var path = $"validationRecords[{i}]";
            if (records![i] is not { } record)
            {
                Fail(path, "must be an object with 'name' and 'value'.");
                continue;
            }

            if (record.Type is { } type && !string.Equals(type, "CNAME", StringComparison.OrdinalIgnoreCase))
            {
                Fail(path + ".type", $"is '{Echo.Quoted(type)}'; ACM's DNS validation records are always CNAME.");
            }

            var name = RecordName(path + ".name", record.Name, errors);
            var value = RecordName(path + ".value", record.Value, errors);
            if (name is not null && value is not null)
            {
                given.Add((path, new GivenValidation(name, value)));
            }
        }

        return given;
    }

    private static DnsName? RecordName(string path, string? text, List<FieldError> errors)
    {
        if (text is null)
        {
            errors.Add(new FieldError(path, "is missing."));
            return null;
        }

        if (!AcmCertificate.TryRecordName(text, out var name, out var error))
        {
            errors.Add(new FieldError(path, error));
            return null;
        }

        return name;
    }
}
