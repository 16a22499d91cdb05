using System.Buffers;
using FastEndpoints;
using FluentValidation.Results;
using RulesApi.Acm;
using RulesApi.Api.Contract;
using RulesApi.Rules.Diagnosis;
using RulesApi.Rules.Report;

namespace RulesApi.Api.Features.Diagnose;

/// <summary>POST /diagnose: a thin mapper from the request onto the <see cref="Diagnoser"/>.</summary>
public sealed class Endpoint : Endpoint<DiagnosisRequestFields, DiagnosisReport>
{
    private readonly Diagnoser _diagnoser;
    private readonly CertificateArnRequests _arnRequests;
    private readonly DiagnosisGate _gate;

    public Endpoint(Diagnoser diagnoser, CertificateArnRequests arnRequests, DiagnosisGate gate)
    {
        _diagnoser = diagnoser;
        _arnRequests = arnRequests;
        _gate = gate;
    }

    public override void Configure()
    {
        Post("/diagnose");
        AllowAnonymous();
        RequestBinder(new ZoneTextBinder());
        Description(builder => builder
            .Accepts<DiagnosisRequestFields>("application/json", ZoneTextBinder.ContentType)
            .Produces<DiagnosisReport>(200, "application/json")
            .ProducesProblemDetails(400)
            .ProducesProblemDetails(403)
            .ProducesProblemDetails(404)
            .ProducesProblemDetails(413)
            .ProducesProblemDetails(429)
            .ProducesProblemDetails(503));
        Summary(summary =>
        {
            summary.Summary = "Diagnose names against a zone, or audit a zone";
            summary.Description =
                "Send JSON, or the zone itself with Content-Type text/dns and ?origin=example.com (and optionally ?domains=a,b). " +
                "Without zone text or a fixture, the names are diagnosed against live DNS from the configured servers. " +
                "A broken zone is not a request error: it is answered with ZONE findings. " +
                "With certificateArn the service calls ACM's DescribeCertificate in the ARN's region with its own credentials (only when Acm:Enabled is set) " +
                "and diagnoses the answer as if it had been sent as acmCertificate; the report's certificateSource says so.";
            summary.ExampleRequest = new DiagnosisRequestFields
            {
                Domains = ["www.example.com"],
                Origin = "example.com",
                ZoneFile = "$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n@ CAA 0 issue \"letsencrypt.org\"\nwww A 192.0.2.2\n",
            };
            summary.Responses[400] = "The request is malformed: the problem names the field.";
            summary.Responses[403] = "certificateArn was given but this service does not call ACM (Acm:Enabled), or its credentials may not describe that certificate.";
            summary.Responses[404] = "ACM has no certificate with that ARN in the account of the service's credentials.";
            summary.Responses[413] = "The body is larger than the configured limit (default 16 MiB).";
            summary.Responses[429] = "This client made too many requests (Api:Limits:RequestsPerMinute); Retry-After says when to try again.";
            summary.Responses[503] = "Every diagnosis slot and its queue are taken (live diagnoses and zone audits are limited apart), or ACM could not be asked (no or rejected credentials, throttling, no answer in time); Retry-After says when to try again.";
        });
    }

    public override async Task HandleAsync(DiagnosisRequestFields fields, CancellationToken cancellationToken)
    {
        ParsedRequest parsed;
        try
        {
            parsed = await _arnRequests.ParseAsync(fields, cancellationToken);
        }
        catch (AcmException failure) when (failure.Kind == AcmErrorKind.InvalidArn)
        {
            ValidationFailures.Add(new ValidationFailure(AcmException.ArnField, failure.Message));
            ThrowIfAnyErrors();
            return;
        }
        catch (AcmException failure)
        {
            await Send.ResultAsync(AcmProblems.For(failure, HttpContext));
            return;
        }

        if (parsed.Request is not { } request)
        {
            ValidationFailures.AddRange(parsed.Errors.Select(error => new ValidationFailure(error.Field, error.Message)));
            ThrowIfAnyErrors();
            return;
        }

        // The deadline is the whole request's: the time spent reading it and waiting for a slot is taken off it.
        var deadline = _diagnoser.DeadlineFor(request);
        var slots = _gate.SlotsFor(request);
        using var slot = await _gate.EnterAsync(slots, deadline, RequestLog.Elapsed(HttpContext), cancellationToken);
        if (!slot.IsAcquired)
        {
            await Send.ResultAsync(ClientLimits.Busy(HttpContext, _gate.RetryAfter, slots));
            return;
        }

        DiagnosisReport report;
        try
        {
            report = await _diagnoser.RunAsync(request, RequestLog.Elapsed(HttpContext), cancellationToken);
        }
        catch (DiagnosisInputException mistake)
        {
            ValidationFailures.Add(new ValidationFailure(mistake.Field, mistake.Message));
            ThrowIfAnyErrors();
            return;
        }
        catch (DiagnosisDeadlineException late)
        {
            await Send.ResultAsync(Results.Problem(statusCode: StatusCodes.Status504GatewayTimeout, title: "The diagnosis took too long",
                detail: late.Message + " Send a smaller zone, or ask the operator about Api:DeadlineSeconds.", type: Problems.Timeout));
            return;
        }

        RequestLog.Attach(HttpContext, report);
        // Written by the code generated for the report (ReportJson.Render), not by the framework's serializer, which walks
        // the report by reflection: the same bytes in half the time. Reports are bounded (FindingLimits), so the answer
        // is made whole first and sent at once with its length, not in chunks of the JSON writer's size: the client knows
        // the length, and a report that fails to write is a 500 rather than a cut-off answer (the CPU per request did not
        // change measurably in paired A/Bs, 0.95-1.00x on the sample zone). Marked as sent for the framework, which
        // otherwise answers 204 after an endpoint whose response has not started (one whose body a middleware buffers).
        var response = HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        HttpContext.MarkResponseStart();
        using (var json = ReportJson.Render(report))
        {
            response.ContentLength = json.Bytes.Length;
            response.BodyWriter.Write(json.Bytes);
        }

        await response.BodyWriter.FlushAsync(cancellationToken);
    }
}
