using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Tests.Incidents;

namespace Helpdesk.Monitoring.Tests.Policy;

public sealed class RulesTests
{
    private static string Sample => File.ReadAllText(Path.Combine(ArchitectureTests.RepositoryRoot(), "src", "Helpdesk.Monitoring.Service", "rules.sample.json"));

    [Theory]
    [InlineData("web-*", "WEB-01", true)]
    [InlineData("web-?1", "web-01", true)]
    [InlineData("web-?1", "web-001", false)]
    [InlineData("*disk*", "Disk /var", true)]
    [InlineData("HTTP", "HTTPS", false)]
    [InlineData("*", "", true)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    public void Patterns_take_star_and_question_mark_case_insensitively(string pattern, string text, bool matches) =>
        Assert.Equal(matches, Glob.Matches(pattern, text));

    [Fact]
    public void The_sample_rules_file_in_the_repository_is_valid()
    {
        var (rules, errors) = RulesFile.Parse(Sample);
        Assert.Empty(errors);
        Assert.Equal(3, rules!.Priority.Impact.Count);
        Assert.Equal(2, rules.Routing.Routes.Count);
    }

    [Fact]
    public void Every_error_names_its_setting()
    {
        var (rules, errors) = RulesFile.Parse("""
            { "version": 1, "priorty": {},
              "priority": { "defaultImpact": "huge", "impact": [ { "match": { "host": 5 } } ], "urgency": { "OK": "high" } },
              "routing": { "routes": [ { "tier": "L9" } ], "categories": "none" } }
            """);
        Assert.Null(rules);
        Assert.Contains(errors, e => e.StartsWith("priorty: unknown setting", StringComparison.Ordinal));
        Assert.Contains("priority.defaultImpact: must be low, medium or high", errors);
        Assert.Contains("priority.impact[0].match.host: must be a non-empty string", errors);
        Assert.Contains("priority.impact[0].impact: is required", errors);
        Assert.Contains(errors, e => e.StartsWith("priority.urgency.OK: not a failing Nagios state", StringComparison.Ordinal));
        Assert.Contains("routing.routes[0].team: is required", errors);
        Assert.Contains("routing.routes[0].tier: must be L1, L2 or L3, not 'L9'", errors);
        Assert.Contains("routing.categories: must be an array", errors);
        Assert.Contains(RulesFile.Parse("{").Errors, e => e.StartsWith("not valid JSON", StringComparison.Ordinal));
        Assert.Contains("version: must be 1", RulesFile.Parse("{}").Errors);
    }

    [Theory]
    [InlineData(Level.High, Level.High, Priority.P1)]
    [InlineData(Level.High, Level.Low, Priority.P3)]
    [InlineData(Level.Medium, Level.High, Priority.P2)]
    [InlineData(Level.Medium, Level.Medium, Priority.P3)]
    [InlineData(Level.Low, Level.Medium, Priority.P4)]
    [InlineData(Level.Low, Level.Low, Priority.P5)]
    public void Priority_is_the_itil_impact_by_urgency_matrix(Level impact, Level urgency, Priority expected) =>
        Assert.Equal(expected, new PriorityRules().Matrix(impact, urgency));

    [Fact]
    public void An_incident_opens_with_priority_category_team_and_tier_from_the_rules()
    {
        var rules = RulesFile.Parse(Sample).Rules!;
        var d = new BookDriver(new IncidentPolicy { Rules = rules });

        d.Apply(Records.Service(NotificationType.Problem, host: "r1", service: "PING", customer: "globex") with { HostGroups = "core-routers,routers" });
        var core = d.Incidents[1];
        Assert.Equal((Priority.P1, "network", "network", "L2"), (core.Priority, core.Category, core.Team, core.Tier));

        d.Apply(Records.Service(NotificationType.Problem, host: "w1", service: "HTTP", customer: "acme"));
        var acme = d.Incidents[2];
        Assert.Equal((Priority.P1, "application", "acme-operations", "L1"), (acme.Priority, acme.Category, acme.Team, acme.Tier));

        var lab = Records.Service(NotificationType.Problem, host: "l1", service: "Load", customer: "globex", state: AlertState.Warning) with { HostGroups = "lab" };
        d.Apply(lab);
        Assert.Equal((Priority.P5, "server", "helpdesk", "L1"), (d.Incidents[3].Priority, d.Incidents[3].Category, d.Incidents[3].Team, d.Incidents[3].Tier));

        // The impact variable beats every rule; priority rises with urgency and never falls.
        var flagged = Records.Service(NotificationType.Problem, host: "l2", service: "Load", customer: "globex", state: AlertState.Warning) with
        {
            HostGroups = "lab",
            Vars = new Dictionary<string, string> { ["_HOSTCUSTOMER"] = "globex", ["_SERVICEIMPACT"] = "high" },
        };
        d.Apply(flagged);
        Assert.Equal(Priority.P3, d.Incidents[4].Priority);
        d.Apply(flagged with { EventId = Guid.CreateVersion7(), ServiceState = AlertState.Critical, ServiceOutput = "worse" });
        Assert.Equal(Priority.P1, d.Incidents[4].Priority);
        d.Apply(flagged with { EventId = Guid.CreateVersion7(), ServiceOutput = "better" });
        Assert.Equal(Priority.P1, d.Incidents[4].Priority);
    }
}
