using System.Reflection;

namespace RulesApi.Api.Tests;

/// <summary>The production service carries no test support: the loopback DNS server and its ARSoft server code, and the fake ACM, stay out of its closure.</summary>
public sealed class ClosureTests
{
    [Fact]
    public void The_service_does_not_depend_on_the_loopback_fixture_server()
    {
        var closure = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<AssemblyName>([typeof(ServiceSetup).Assembly.GetName()]);
        while (pending.TryPop(out var name))
        {
            if (!name.Name!.StartsWith("RulesApi.", StringComparison.Ordinal) || !closure.Add(name.Name))
            {
                continue;
            }

            foreach (var reference in Assembly.Load(name).GetReferencedAssemblies())
            {
                pending.Push(reference);
            }
        }

        Assert.Contains("RulesApi.Rules", closure);
        Assert.Contains("RulesApi.Fixtures", closure);
        Assert.Contains("RulesApi.Acm", closure);
        Assert.DoesNotContain("RulesApi.FixtureServer", closure);
        Assert.DoesNotContain("RulesApi.AcmFake", closure);
    }
}
