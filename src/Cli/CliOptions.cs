using System.CommandLine;
using System.Globalization;
using RulesApi.Fixtures;
using RulesApi.Rules.Report;

namespace RulesApi.Cli;

/// <summary>
/// The command tree of <c>rulesapi</c> (System.CommandLine): the commands, their arguments and options,
/// with help text and completions. The actions live in <see cref="Commands"/>.
/// </summary>
public sealed class CliOptions
{
    public static readonly string[] Formats = ["text", "json", "sarif"];
    public static readonly string[] Severities = ["critical", "error", "warning", "notice", "info"];

    public Option<string[]> Domains { get; } = new("--domains")
    {
        Description = "Names to certify, comma-separated (repeatable); wildcards such as *.example.com allowed",
        HelpName = "a,b",
    };

    public Option<string[]> Validation { get; } = new("--validation")
    {
        Description = "A validation CNAME ACM asked for, as NAME=VALUE (repeatable)",
        HelpName = "NAME=VALUE",
    };

    public Option<string?> Certificate { get; } = new("--certificate")
    {
        Description = "The output of 'aws acm describe-certificate' (a JSON file)",
        HelpName = "file.json",
    };

    public Option<string?> CertificateArn { get; } = new("--certificate-arn")
    {
        Description = "An ACM certificate's ARN: described in ACM (DescribeCertificate in the ARN's region, with your AWS credentials: the SDK's usual chain) and diagnosed as --certificate would be",
        HelpName = "arn",
    };

    public Option<string?> AcmEndpoint { get; } = new("--acm-endpoint")
    {
        Description = "ACM's endpoint for every region instead of https://acm.<region>.amazonaws.com/ (a VPC endpoint)",
        HelpName = "url",
    };

    public Option<string> Region { get; } = new("--region")
    {
        Description = "The region whose certificates are scanned (us-east-1 for CloudFront's)",
        Required = true,
    };

    public Option<int> Max { get; } = new("--max")
    {
        Description = "Diagnose at most this many certificates",
        DefaultValueFactory = _ => 20,
    };

    public Option<int> Concurrency { get; } = new("--concurrency")
    {
        Description = "How many certificates are described and diagnosed at once",
        DefaultValueFactory = _ => 4,
    };

    public Option<string?> ScanZone { get; } = new("--zone-file")
    {
        Description = "Diagnose every certificate against this zone file instead of live DNS",
        HelpName = "file",
    };

    public Option<string?> ScanFixture { get; } = new("--fixture")
    {
        Description = "Diagnose every certificate against a built-in scenario instead of live DNS",
        HelpName = "scenario",
    };

    public Option<string?> Provider { get; } = new("--provider")
    {
        Description = "The DNS provider whose record form the fixes follow",
    };

    public Option<string?> Ca { get; } = new("--ca")
    {
        Description = "The CA that will issue, whose CAA identities count: amazon (default), letsencrypt, google, digicert, sectigo, globalsign, zerossl, buypass, sslcom, entrust, godaddy, or one --profile defines",
        HelpName = "ca",
    };

    public Option<string?> Profile { get; } = new("--profile")
    {
        Description = "A JSON profile: rules on or off, severities per rule or message, options",
        HelpName = "profile.json",
    };

    public Option<string> Format { get; } = new("--format")
    {
        Description = "How findings are printed: text (file:line:column lines), json (exactly the API's JSON) or sarif (SARIF 2.1.0)",
        DefaultValueFactory = _ => "text",
    };

    public Option<bool> Json { get; } = new("--json") { Description = "The same as --format json" };

    public Option<int> MaxFindingsPerRule { get; } = new("--max-findings-per-rule")
    {
        Description = "The most findings of one rule printed (the rest are counted); 0 prints them all",
        DefaultValueFactory = _ => Rules.Runtime.FindingLimits.DefaultPerRule,
    };

    public Option<int> MaxNames { get; } = new("--max-names")
    {
        Description = "The most names printed with their verdicts, those with the worst verdicts (the rest are counted by verdict); 0 prints them all",
        DefaultValueFactory = _ => Rules.Runtime.FindingLimits.DefaultNames,
    };

    public Option<string> FailOn { get; } = new("--fail-on")
    {
        Description = "Exit 1 when a finding is at or above this severity",
        DefaultValueFactory = _ => "error",
    };

    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Print the stack trace of an internal error" };

    public Option<string?> HelpBaseUri { get; } = new("--help-base-uri")
    {
        Description = "With --format sarif: where the rule pages are served, e.g. https://rulesapi.example/rules/ (each rule's helpUri)",
        HelpName = "uri",
    };

    public Argument<string> Zone { get; } = new("zone-file") { Description = "The zone file to audit, or - for standard input" };

    public Option<string?> Origin { get; } = new("--origin")
    {
        Description = "The zone's name, when the file has no $ORIGIN and no SOA with a full name",
        HelpName = "example.com",
    };

    public Option<string[]> Ds { get; } = new("--ds")
    {
        Description = "A DS record the parent publishes for the zone, e.g. \"12345 13 2 49FD…\" (repeatable)",
        HelpName = "DS",
    };

    public Argument<string?> Scenario { get; } = new("scenario")
    {
        Description = "A built-in scenario; without one, the scenarios are listed",
        Arity = ArgumentArity.ZeroOrOne,
        HelpName = "scenario",
    };

    public Argument<string[]> Names { get; } = new("names")
    {
        Description = "The names to check against live DNS",
        Arity = ArgumentArity.OneOrMore,
    };

    public Option<string[]> Root { get; } = new("--root")
    {
        Description = "A root server's IP address to iterate from (repeatable; default the IANA roots)",
        HelpName = "IP",
    };

    public Option<string[]> Resolver { get; } = new("--resolver")
    {
        Description = "A recursive resolver to compare with the authoritative servers, IP or IP:PORT (repeatable; default the machine's)",
        HelpName = "IP[:PORT]",
    };

    public Option<int> Port { get; } = new("--port") { Description = "The port every query goes to", DefaultValueFactory = _ => 53 };

    public Option<int> TimeoutMs { get; } = new("--timeout-ms") { Description = "One query's timeout", DefaultValueFactory = _ => 2000 };

    public Option<int> DeadlineSeconds { get; } = new("--deadline-seconds") { Description = "The whole diagnosis's deadline", DefaultValueFactory = _ => 10 };

    public CliOptions()
    {
        Provider.AcceptOnlyFromAmong([.. DnsProviders.Names]);
        Format.AcceptOnlyFromAmong(Formats);
        FailOn.AcceptOnlyFromAmong(Severities);
        Scenario.CompletionSources.Add(_ => FixtureScenario.BuiltIn.Keys.Order(StringComparer.Ordinal).Select(name => new System.CommandLine.Completions.CompletionItem(name)));
        foreach (var (option, min, max) in new[] { (Port, 1, 65535), (TimeoutMs, 1, 60000), (DeadlineSeconds, 1, 600), (Max, 1, 1000), (Concurrency, 1, 64), (MaxFindingsPerRule, 0, int.MaxValue), (MaxNames, 0, int.MaxValue) })
        {
            // Parsed here rather than checked after the default parser: that one's error for a word or a number past
            // Int32 names System.Int32, and a check that asks for the value then threw (an 'internal error').
            option.CustomParser = result =>
            {
                var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                if (int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
                {
                    return value;
                }

                result.AddError($"{option.Name} takes a whole number from {min} to {max}, not {token}");
                return default;
            };
        }
    }

    /// <summary>What every diagnosing command takes: the request's names, records, certificate and provider, and how to print and judge.</summary>
    public IEnumerable<Option> Diagnosing => [Domains, Validation, Certificate, CertificateArn, AcmEndpoint, Provider, Ca, Profile, Format, Json, FailOn, MaxFindingsPerRule, MaxNames, HelpBaseUri, Verbose];

    /// <summary>What <c>acm scan</c> takes.</summary>
    public IEnumerable<Option> Scanning => [Region, Max, Concurrency, ScanZone, Origin, ScanFixture, Provider, AcmEndpoint, Profile, Json, Root, Resolver, Port, TimeoutMs, DeadlineSeconds, Verbose];
}
