namespace RulesApi.Api.Contract;

/// <summary>
/// The problem types this service answers with: one base (<c>/problems/</c>, served by the service,
/// each documented in docs/problems/&lt;name&gt;.md), one type per kind of problem.
/// </summary>
public static class Problems
{
    public const string Base = "/problems/";

    public const string Validation = Base + "validation";
    public const string NotFound = Base + "not-found";
    public const string BodyTooLarge = Base + "body-too-large";
    public const string UnsupportedMediaType = Base + "unsupported-media-type";
    public const string InternalError = Base + "internal-error";
    public const string Unauthorized = Base + "unauthorized";
    public const string TooManyRequests = Base + "too-many-requests";
    public const string Busy = Base + "busy";
    public const string Timeout = Base + "timeout";
    public const string AcmForbidden = Base + "acm-forbidden";
    public const string CertificateNotFound = Base + "certificate-not-found";
    public const string AcmUnavailable = Base + "acm-unavailable";
    public const string MethodNotAllowed = Base + "method-not-allowed";
    public const string RequestTimeout = Base + "request-timeout";

    /// <summary>The type for a status code, for the problems the framework writes itself (status code pages, defaults).</summary>
    public static string ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => Validation,
        StatusCodes.Status401Unauthorized => Unauthorized,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
        StatusCodes.Status408RequestTimeout => RequestTimeout,
        StatusCodes.Status413PayloadTooLarge => BodyTooLarge,
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
        StatusCodes.Status500InternalServerError => InternalError,
        StatusCodes.Status429TooManyRequests => TooManyRequests,
        StatusCodes.Status503ServiceUnavailable => Busy,
        StatusCodes.Status504GatewayTimeout => Timeout,
        _ => Base + "http-" + status,
    };

    /// <summary>Every documented type's name (the part after the base): the page GET /problems/{name} serves.</summary>
    public static IReadOnlyList<string> Names =>
        [.. new[] { Validation, Unauthorized, NotFound, MethodNotAllowed, RequestTimeout, BodyTooLarge, UnsupportedMediaType, InternalError, TooManyRequests, Busy, Timeout, AcmForbidden, CertificateNotFound, AcmUnavailable }.Select(Name)];

    public static string Name(string type) => type[Base.Length..];
}
