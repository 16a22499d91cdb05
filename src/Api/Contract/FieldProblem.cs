using FluentValidation.Results;
using RulesApi.Rules.Diagnosis;

namespace RulesApi.Api.Contract;

/// <summary>One bad field of a request: its path (<c>domains[2]</c>) and what is wrong with it.</summary>
public sealed record ProblemField(string Name, string Reason);

/// <summary>The 400 problem (RFC 9457) for a request whose fields are wrong: every bad field named in <see cref="Errors"/>.</summary>
public sealed record FieldProblem(string Type, string Title, int Status, string Detail, string Instance, string TraceId, IReadOnlyList<ProblemField> Errors)
{
    public static FieldProblem From(IReadOnlyList<ValidationFailure> failures, HttpContext context, int status) => new(
        Problems.ForStatus(status),
        "One or more fields of the request are wrong.",
        status,
        failures.Count == 1 ? Echo.Short(failures[0].ErrorMessage, Echo.MaxMessage) : $"{failures.Count} fields of the request are wrong; 'errors' names each.",
        context.Request.Path,
        context.TraceIdentifier,
        // Cut short here too, whoever made the failure: an answer never carries a request's large value back whole.
        [.. failures.Select(f => new ProblemField(Echo.Short(f.PropertyName, Echo.MaxField), Echo.Short(f.ErrorMessage, Echo.MaxMessage)))]);
}
