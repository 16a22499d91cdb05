using System.Text.Json.Nodes;

namespace RulesApi.AcmFake;

/// <summary>One name of a fake certificate and the validation CNAME ACM would ask for (null: not published yet, or e-mail validation).</summary>
public sealed record FakeValidation(string DomainName, string? RecordName, string? RecordValue, string Method = "DNS", string Status = "PENDING_VALIDATION");

/// <summary>
/// Certificates in the shapes of ACM's API reference: DescribeCertificate's CertificateDetail and
/// ListCertificates' CertificateSummary, with the fields a real answer carries (timestamps as epoch
/// seconds, as the JSON protocol writes them).
/// </summary>
public static class FakeCertificates
{
    public static JsonObject Detail(string arn, string status, IReadOnlyList<FakeValidation> names, string? failureReason = null)
    {
        var options = new JsonArray();
        foreach (var name in names)
        {
            var option = new JsonObject
            {
                ["DomainName"] = name.DomainName,
                ["ValidationDomain"] = name.DomainName,
                ["ValidationStatus"] = name.Status,
                ["ValidationMethod"] = name.Method,
            };
            if (name.RecordName is not null && name.RecordValue is not null)
            {
                option["ResourceRecord"] = new JsonObject { ["Name"] = name.RecordName, ["Type"] = "CNAME", ["Value"] = name.RecordValue };
            }

            if (name.Method == "EMAIL")
            {
                option["ValidationEmails"] = new JsonArray((JsonNode)("admin@" + name.DomainName.TrimStart('*', '.')));
            }

            options.Add(option);
        }

        var detail = new JsonObject
        {
            ["CertificateArn"] = arn,
            ["DomainName"] = names[0].DomainName,
            ["SubjectAlternativeNames"] = new JsonArray(names.Select(n => (JsonNode)JsonValue.Create(n.DomainName)).ToArray()),
            ["DomainValidationOptions"] = options,
            ["Subject"] = "CN=" + names[0].DomainName,
            ["CreatedAt"] = 1764331200.123,
            ["Status"] = status,
            ["KeyAlgorithm"] = "RSA-2048",
            ["SignatureAlgorithm"] = "SHA256WITHRSA",
            ["InUseBy"] = new JsonArray(),
            ["Type"] = "AMAZON_ISSUED",
            ["KeyUsages"] = new JsonArray(),
            ["ExtendedKeyUsages"] = new JsonArray(),
            ["RenewalEligibility"] = "INELIGIBLE",
            ["Options"] = new JsonObject { ["CertificateTransparencyLoggingPreference"] = "ENABLED", ["Export"] = "DISABLED" },
        };
        if (failureReason is not null)
        {
            detail["FailureReason"] = failureReason;
        }

        return detail;
    }

    /// <summary>The CertificateSummary ListCertificates gives for a certificate (at most 100 names, then HasAdditionalSubjectAlternativeNames).</summary>
    public static JsonObject Summary(JsonObject detail)
    {
        var sans = detail["SubjectAlternativeNames"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        return new JsonObject
        {
            ["CertificateArn"] = detail["CertificateArn"]!.GetValue<string>(),
            ["DomainName"] = detail["DomainName"]!.GetValue<string>(),
            ["SubjectAlternativeNameSummaries"] = new JsonArray(sans.Take(100).Select(n => (JsonNode)JsonValue.Create(n)).ToArray()),
            ["HasAdditionalSubjectAlternativeNames"] = sans.Count > 100,
            ["Status"] = detail["Status"]!.GetValue<string>(),
            ["Type"] = "AMAZON_ISSUED",
            ["KeyAlgorithm"] = "RSA_2048",
            ["KeyUsages"] = new JsonArray(),
            ["ExtendedKeyUsages"] = new JsonArray(),
            ["ExportOption"] = "DISABLED",
            ["InUse"] = false,
            ["RenewalEligibility"] = "INELIGIBLE",
            ["CreatedAt"] = detail["CreatedAt"]!.GetValue<double>(),
        };
    }
}
