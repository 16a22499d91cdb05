namespace RulesApi.Acm.Tests;

public sealed class CertificateArnTests
{
    [Theory]
    [InlineData("arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012", "aws", "us-east-1")]
    [InlineData("arn:aws-cn:acm:cn-north-1:123456789012:certificate/abc", "aws-cn", "cn-north-1")]
    [InlineData("arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/abc", "aws-us-gov", "us-gov-west-1")]
    public void A_certificate_arn_gives_its_partition_and_region(string text, string partition, string region)
    {
        Assert.True(CertificateArn.TryParse(text, out var arn, out var error), error);
        Assert.Equal(partition, arn.Partition);
        Assert.Equal(region, arn.Region);
        Assert.Equal(text, arn.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("12345678-1234-1234-1234-123456789012", "not an ARN")]
    [InlineData("arn:aws:s3:::bucket/key:x", "'s3' service")]
    [InlineData("arn:aws:acm:us-east-1.evil.example:123456789012:certificate/abc", "not a region name")]
    [InlineData("arn:aws:acm:127.0.0.1/:123456789012:certificate/abc", "not a region name")]
    [InlineData("arn:aws:acm:us-east-1:1234:certificate/abc", "12 digits")]
    [InlineData("arn:aws:acm:us-east-1:123456789012:private-ca/abc", "ends in certificate/")]
    [InlineData("arn:aws:acm:us-east-1:123456789012:certificate/a b", "ends in certificate/")]
    [InlineData("arn:aws-xx:acm:us-east-1:123456789012:certificate/abc", "partition")]
    public void A_malformed_arn_is_refused_with_the_reason(string text, string reason)
    {
        Assert.False(CertificateArn.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_endpoint_is_the_regions_unless_overridden()
    {
        Assert.Equal(new Uri("https://acm.eu-west-3.amazonaws.com/"), AcmEndpoints.For("eu-west-3"));
        Assert.Equal(new Uri("https://acm.cn-northwest-1.amazonaws.com.cn/"), AcmEndpoints.For("cn-northwest-1"));
        Assert.Equal(new Uri("http://127.0.0.1:9999/"), AcmEndpoints.For("eu-west-3", new Uri("http://127.0.0.1:9999/")));
        Assert.Throws<ArgumentException>(() => AcmEndpoints.For("evil.example/"));
    }

    [Fact]
    public void Options_name_each_bad_setting()
    {
        var options = new AcmOptions { ServiceUrl = "ftp://x/", TimeoutSeconds = 0, MaxAttempts = 0, ScanConcurrency = 100 };

        var settings = options.Problems().Select(p => p.Setting).ToList();
        Assert.Equal(["ServiceUrl", "TimeoutSeconds", "MaxAttempts", "ScanConcurrency"], settings);
    }
}
