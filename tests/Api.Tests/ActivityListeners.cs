namespace RulesApi.Api.Tests;

/// <summary>
/// The tests that listen to ASP.NET Core's activities (tracing turned on: every host in the process then starts an Activity
/// per request), and those that check that none is started without it: run one after another, never beside each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ActivityListeners
{
    public const string Name = "Activity listeners";
}
