using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Tests.Policy;

/// <summary>The rules file's priority.scope: thresholds read, mistakes named, the highest matching priority applied.</summary>
public sealed class ScopeRulesTests
{
    [Fact]
    public void Scope_thresholds_give_the_highest_priority_whose_count_is_reached()
    {
        var (rules, errors) = RulesFile.Parse("""{ "version": 1, "priority": { "scope": [ { "hosts": 3, "priority": "P2" }, { "alerts": 50, "priority": "P1" } ] } }""");
        Assert.Empty(errors);
        var scope = rules!.Priority;
        Assert.Null(scope.ForScope(2, 40));
        Assert.Equal(Priority.P2, scope.ForScope(3, 40)!.Value.Priority);
        Assert.Equal(Priority.P1, scope.ForScope(3, 50)!.Value.Priority);
        Assert.Equal("50 alerts (at least 50)", scope.ForScope(1, 50)!.Value.Rule.Describe(1, 50));
        Assert.Equal(Priority.P1, new PriorityRules().ForScope(25, 25)!.Value.Priority);

        // By default an incident that reaches three customers is a P1, whatever its size.
        var (customers, _) = RulesFile.Parse("""{ "version": 1, "priority": { "scope": [ { "customers": 2, "priority": "P2" } ] } }""");
        Assert.Equal(Priority.P2, customers!.Priority.ForScope(1, 2, 2)!.Value.Priority);
        Assert.Equal("alerts of 2 customers (at least 2)", customers.Priority.ForScope(1, 2, 2)!.Value.Rule.Describe(1, 2, 2));
        Assert.Equal(Priority.P1, new PriorityRules().ForScope(2, 3, 3)!.Value.Priority);
    }

    [Fact]
    public void Every_mistake_in_a_scope_rule_is_named()
    {
        var (_, errors) = RulesFile.Parse("""{ "version": 1, "priority": { "scope": [ { "priority": "P2" }, { "hosts": 1, "priority": "P9" }, { "hosts": 5, "priority": "P1", "tenants": 2 } ] } }""");
        Assert.Contains("priority.scope[0]: give \"hosts\", \"alerts\" or \"customers\" (how much an incident must hold)", errors);
        Assert.Contains("priority.scope[1].hosts: must be a whole number of at least 2", errors);
        Assert.Contains("priority.scope[1].priority: must be P1, P2, P3, P4 or P5", errors);
        Assert.Contains(errors, e => e.Contains("tenants", StringComparison.Ordinal));
    }
}
