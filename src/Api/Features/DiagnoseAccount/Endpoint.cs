using FastEndpoints;
using FluentValidation.Results;
using Microsoft.Extensions.Options;
using RulesApi.Acm;

namespace RulesApi.Api.Features.DiagnoseAccount;

/// <summary>POST /diagnose/account: the account's certificates ACM will not issue, in one region, each diagnosed; a thin mapper onto <see cref="AccountScan"/>.</summary>
public sealed class Endpoint : Endpoint<AccountScanFields, AccountScanReport>
{
    private readonly AccountScan _scan;
    private readonly AcmOptions _options;

    public Endpoint(AccountScan scan, IOptions<AcmOptions> options)
    {
        _scan = scan;
        _options = options.Value;
    }

    public override void Configure()
    {
        Post("/diagnose/account");
        AllowAnonymous();
        RequestBinder(new ScanBinder());
        Description(builder => builder
            .Accepts<AccountScanFields>("application/json")
            .Produces<AccountScanReport>(200, "application/json")
            .ProducesProblemDetails(400)
            .ProducesProblemDetails(403)
            .ProducesProblemDetails(503));
        Summary(summary =>
        {
            summary.Summary = "Diagnose the account's certificates that ACM has not issued, in one region";
            summary.Description =
                "Lists the certificates in PENDING_VALIDATION and FAILED (ListCertificates, paged) with the service's own credentials (only when Acm:Enabled is set), " +
                "describes and diagnoses at most maxCertificates of them (default and ceiling Acm:MaxScanCertificates) a few at a time (Acm:ScanConcurrency), " +
                "against live DNS, or zoneFile or fixture when given. One row per certificate, worst verdict first: names, status, verdict, the first fix, and the whole report. " +
                "A certificate that cannot be described has a problem instead of a verdict; the others are diagnosed all the same.";
            summary.ExampleRequest = new AccountScanFields { Region = "us-east-1", MaxCertificates = 10, Provider = "cloudflare" };
            summary.Responses[400] = "A field is wrong (region, maxCertificates, provider, zoneFile, fixture): the problem names it.";
            summary.Responses[403] = "This service does not call ACM (Acm:Enabled), or its credentials may not list certificates.";
            summary.Responses[503] = "ACM could not be asked: no or rejected credentials, throttling (with Retry-After), or ACM did not answer in time.";
        });
    }

    public override async Task HandleAsync(AccountScanFields fields, CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            await Send.ResultAsync(AcmProblems.For(CertificateArnRequests.Disabled(), HttpContext));
            return;
        }

        ValidationFailures.AddRange(_scan.Check(fields).Select(error => new ValidationFailure(error.Field, error.Message)));
        ThrowIfAnyErrors();
        AccountScanReport report;
        try
        {
            report = await _scan.RunAsync(fields, cancellationToken);
        }
        catch (AcmException failure)
        {
            await Send.ResultAsync(AcmProblems.For(failure, HttpContext));
            return;
        }

        await Send.OkAsync(report, cancellationToken);
    }
}
