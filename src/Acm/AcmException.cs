namespace RulesApi.Acm;

/// <summary>What went wrong with a call to ACM, as the caller of RulesApi must hear it.</summary>
public enum AcmErrorKind
{
    /// <summary>The service is not allowed to call ACM (Acm:Enabled is off).</summary>
    Disabled,

    /// <summary>The ARN is malformed, or ACM refused it as such (InvalidArnException, ValidationException).</summary>
    InvalidArn,

    /// <summary>The service found no credentials to sign with.</summary>
    NoCredentials,

    /// <summary>ACM does not accept the service's credentials (unknown key, expired token, bad signature).</summary>
    CredentialsRejected,

    /// <summary>The credentials are valid but may not make this call (AccessDeniedException).</summary>
    AccessDenied,

    /// <summary>No such certificate in that account and region (ResourceNotFoundException).</summary>
    NotFound,

    /// <summary>ACM throttled every attempt.</summary>
    Throttled,

    /// <summary>ACM did not answer in time, could not be reached, or failed (5xx) on every attempt.</summary>
    Unavailable,

    /// <summary>Any other refusal from ACM.</summary>
    Refused,
}

/// <summary>
/// A call to ACM that did not give an answer. <see cref="Exception.Message"/> says what happened and
/// what to do; it never carries credentials (ACM's own message is passed through <see cref="AcmClient.Scrub"/>).
/// </summary>
public sealed class AcmException(AcmErrorKind kind, string title, string message, string? awsErrorCode = null, TimeSpan? retryAfter = null)
    : Exception(message)
{
    public AcmErrorKind Kind { get; } = kind;

    /// <summary>A short title for a problem document.</summary>
    public string Title { get; } = title;

    /// <summary>ACM's error code (the JSON protocol's <c>__type</c>), when ACM answered.</summary>
    public string? AwsErrorCode { get; } = awsErrorCode;

    /// <summary>When to try again, for throttling.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>The request field to name when the mistake is the caller's (the ARN).</summary>
    public const string ArnField = "certificateArn";

    /// <summary>The HTTP status RulesApi answers with: the caller's mistakes are 4xx, the service's or ACM's state 503; never 500.</summary>
    public int HttpStatus => Kind switch
    {
        AcmErrorKind.InvalidArn => 400,
        AcmErrorKind.Disabled or AcmErrorKind.AccessDenied => 403,
        AcmErrorKind.NotFound => 404,
        _ => 503,
    };
}
