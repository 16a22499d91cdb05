namespace RulesApi.Rules.Contract;

/// <summary>How much a finding matters. <see cref="Error"/> and <see cref="Critical"/> mean ACM will not issue.</summary>
public enum Severity
{
    Critical,
    Error,
    Warning,
    Notice,
    Info,
}

/// <summary>The verdict for one requested name.</summary>
public enum Verdict
{
    /// <summary>An error or critical finding applies: ACM will not issue (or validate) as things stand.</summary>
    Blocked,

    /// <summary>Something could not be checked, so no verdict can be given with confidence.</summary>
    Inconclusive,

    /// <summary>Warnings only: issuance should work but something is fragile or odd.</summary>
    AtRisk,

    /// <summary>Nothing stands in the way.</summary>
    Ok,
}
