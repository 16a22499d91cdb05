using System.Text;
using RulesApi.AcmFake;

namespace RulesApi.Acm.Tests;

/// <summary>
/// AWS's published Signature Version 4 test suite (credentials AKIDEXAMPLE, us-east-1, service "service",
/// 2015-08-30T12:36:00Z): the fake's own implementation and the client's (the SDK's AWS4Signer) must both
/// give the published signatures, or the fake's check of the client would prove nothing.
/// </summary>
public sealed class SigV4VectorTests
{
    private const string KeyId = "AKIDEXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string AmzDate = "20150830T123600Z";
    private const string Scope = "20150830/us-east-1/service/aws4_request";
    private static readonly DateTime SignedAt = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);

    public static TheoryData<string, string, string, string, string, string> Vectors() => new()
    {
        // name, method, query, content type (or ""), body, published signature
        { "get-vanilla", "GET", "", "", "", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" },
        { "get-vanilla-query-order-key-case", "GET", "Param2=value2&Param1=value1", "", "", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500" },
        { "post-vanilla", "POST", "", "", "", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b" },
        { "post-x-www-form-urlencoded", "POST", "", "application/x-www-form-urlencoded", "Param1=value1", "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a" },
    };

    private static Dictionary<string, string> Headers(string contentType)
    {
        var headers = new Dictionary<string, string> { ["Host"] = "example.amazonaws.com", ["X-Amz-Date"] = AmzDate };
        if (contentType.Length > 0)
        {
            headers["Content-Type"] = contentType;
        }

        return headers;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_fakes_own_SigV4_reproduces_the_published_vector(string name, string method, string query, string contentType, string body, string signature)
    {
        var canonical = SigV4Check.CanonicalRequest(method, "/", query, Headers(contentType), SigV4Check.PayloadHash(Encoding.UTF8.GetBytes(body)));
        var computed = SigV4Check.Signature(Secret, "20150830", "us-east-1", "service", SigV4Check.StringToSign(AmzDate, Scope, canonical));

        Assert.True(computed == signature, $"{name}: {computed}");
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_clients_signer_reproduces_the_published_vector(string name, string method, string query, string contentType, string body, string signature)
    {
        var authorization = AcmRequestSigner.Authorization(method, "/", query, Headers(contentType), Encoding.UTF8.GetBytes(body),
            new AcmCredentials(KeyId, Secret), "us-east-1", "service", SignedAt);

        var signedHeaders = contentType.Length > 0 ? "content-type;host;x-amz-date" : "host;x-amz-date";
        Assert.True(authorization == $"AWS4-HMAC-SHA256 Credential={KeyId}/{Scope}, SignedHeaders={signedHeaders}, Signature={signature}", $"{name}: {authorization}");
    }

    [Fact]
    public void A_changed_byte_changes_the_signature()
    {
        var canonical = SigV4Check.CanonicalRequest("POST", "/", "", Headers(""), SigV4Check.PayloadHash("x"u8));
        var computed = SigV4Check.Signature(Secret, "20150830", "us-east-1", "service", SigV4Check.StringToSign(AmzDate, Scope, canonical));

        Assert.NotEqual("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b", computed);
    }
}

public sealed class SigV4AgreementTests
{
    [Fact]
    public void The_clients_signature_of_an_acm_call_verifies_under_the_fakes_check()
    {
        var at = new DateTime(2026, 11, 28, 12, 0, 0, 123, DateTimeKind.Utc);
        var body = """{"CertificateArn":"arn:aws:acm:eu-west-1:111122223333:certificate/x"}"""u8.ToArray();
        var headers = new Dictionary<string, string>
        {
            ["content-type"] = "application/x-amz-json-1.1",
            ["host"] = "127.0.0.1:4443",
            ["x-amz-date"] = AcmRequestSigner.AmzDate(at),
            ["x-amz-target"] = "CertificateManager.DescribeCertificate",
        };

        var authorization = AcmRequestSigner.Authorization("POST", "/", "", headers, body, new AcmCredentials("AKIDEXAMPLE", "secret"), "eu-west-1", "acm", at);

        var canonical = RulesApi.AcmFake.SigV4Check.CanonicalRequest("POST", "/", "", headers, RulesApi.AcmFake.SigV4Check.PayloadHash(body));
        var expected = RulesApi.AcmFake.SigV4Check.Signature("secret", "20261128", "eu-west-1", "acm",
            RulesApi.AcmFake.SigV4Check.StringToSign("20261128T120000Z", "20261128/eu-west-1/acm/aws4_request", canonical));
        Assert.Equal($"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/eu-west-1/acm/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature={expected}", authorization);
    }
}
