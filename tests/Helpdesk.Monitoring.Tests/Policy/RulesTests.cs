using System.Text;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Tests.Incidents;

namespace Helpdesk.Monitoring.Tests.Policy;

public sealed class RulesTests
{
    private static string Sample => File.ReadAllText(Path.Combine(ArchitectureTests.RepositoryRoot(), "src", "Helpdesk.Monitoring.Service", "rules.sample.json"));

    [Fact]
    public void A_response_target_no_longer_than_the_l1_window_is_named_as_leaving_l2_no_time()
    {
        // The defaults: P1 must be acknowledged within 15m, and L1 has 15m; every other priority leaves L2 time.
        var note = Assert.Single(new SlaPolicy().WithoutTimeAtL2());
        Assert.Equal("P1's response target (15m) is not longer than sla.l1Window (15m): an unacknowledged P1 goes from L1 to L3 at its breach, without time at L2", note);

        Assert.Empty(new SlaPolicy { L1Window = TimeSpan.FromMinutes(10) }.WithoutTimeAtL2());
        Assert.Equal(["P1", "P2"], new SlaPolicy { L1Window = TimeSpan.FromMinutes(30) }.WithoutTimeAtL2().Select(n => n[..2]));
    }

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
        Assert.Equal("web-outage", Assert.Single(rules.Correlation.Groups).Name);
        Assert.Equal(100, rules.Correlation.Storm.EnterPerMinute);
        Assert.Equal("office", rules.Sla.Targets[Priority.P3].Calendar);
        Assert.Equal(TimeSpan.FromMinutes(30), rules.Dedup!.ReopenWindow);
    }

    [Fact]
    public void Correlation_sla_and_dedup_errors_name_their_setting()
    {
        var (rules, errors) = RulesFile.Parse("""
            { "version": 1,
              "dedup": { "reopenWindow": "soon" },
              "correlation": { "resolve": "sometimes", "hostDown": "yes",
                "groups": [ { "name": "g", "groupBy": ["colour"], "maxSize": 1 }, { "name": "g", "groupBy": ["host"], "window": "0m" } ],
                "storm": { "enterPerMinute": 10, "exitPerMinute": 10 } },
              "sla": { "l1Window": "15", "targets": { "P9": {}, "P1": { "response": "5h", "resolution": "4h", "calendar": "nights" } },
                "calendars": { "office": { "timeZone": "Mars/Olympus", "days": ["Mon", "Funday"], "start": "18:00", "end": "08:00", "holidays": ["25.12."] },
                               "24x7": {} },
                "customers": [ { "match": { "customer": "acme" } } ] } }
            """);
        Assert.Null(rules);
        Assert.Contains(errors, e => e.StartsWith("dedup.reopenWindow: must be a duration", StringComparison.Ordinal));
        Assert.Contains("correlation.resolve: must be all, cause or manual, not 'sometimes'", errors);
        Assert.Contains("correlation.hostDown: must be true or false", errors);
        Assert.Contains(errors, e => e.StartsWith("correlation.groups[0].groupBy: 'colour' is not one of", StringComparison.Ordinal));
        Assert.Contains("correlation.groups[0].window: is required", errors);
        Assert.Contains("correlation.groups[0].maxSize: must be a whole number of at least 2", errors);
        Assert.Contains("correlation.groups[1].name: 'g' is used by an earlier group", errors);
        Assert.Contains(errors, e => e.StartsWith("correlation.groups[1].window: must be a duration", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("correlation.storm.exitPerMinute: must be below enterPerMinute (10)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("sla.l1Window: must be a duration", StringComparison.Ordinal));
        Assert.Contains("sla.targets.P9: not a priority (P1 to P5)", errors);
        Assert.Contains("sla.targets.P1.response: must not be longer than the resolution target", errors);
        Assert.Contains(errors, e => e.StartsWith("sla.targets.P1.calendar: no calendar named 'nights'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("sla.calendars.office.timeZone: unknown time zone 'Mars/Olympus'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("sla.calendars.office.days: 'Funday' is not a day", StringComparison.Ordinal));
        Assert.Contains("sla.calendars.office.end: must be later than start", errors);
        Assert.Contains(errors, e => e.StartsWith("sla.calendars.office.holidays:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("sla.calendars.24x7: is built in", StringComparison.Ordinal));
        Assert.Contains("sla.customers[0].calendar: is required", errors);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("15m", 900)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 172800)]
    public void Durations_take_units_and_chains(string text, int seconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("15")]
    [InlineData("m")]
    [InlineData("5w")]
    [InlineData("-5m")]
    [InlineData("99999999999m")]
    public void Bad_durations_are_refused(string text) => Assert.False(Duration.TryParse(text, out _));

    [Fact]
    public void Every_error_names_its_setting()
    {
        var (rules, errors) = RulesFile.Parse("""
            { "version": 1, "priorty": {},
              "priority": { "defaultImpact": "huge", "impact": [ { "match": { "host": 5 } } ], "urgency": { "OK": "high" } },
              "routing": { "routes": [ { "tier": "L9" } ], "categories": "none" } }
            """);
        Assert.Null(rules);
        Assert.Contains(errors, e => e.StartsWith("priorty: unknown setting (did you mean priority? known here: version, ", StringComparison.Ordinal));
        Assert.Contains("priority.defaultImpact: must be low, medium or high", errors);
        Assert.Contains("priority.impact[0].match.host: must be a non-empty string", errors);
        Assert.Contains("priority.impact[0].impact: is required", errors);
        Assert.Contains(errors, e => e.StartsWith("priority.urgency.OK: not a failing Nagios state", StringComparison.Ordinal));
        Assert.Contains("routing.routes[0].team: is required", errors);
        Assert.Contains("routing.routes[0].tier: must be L1, L2 or L3, not 'L9'", errors);
        Assert.Contains("routing.categories: must be an array", errors);
        Assert.Equal(["not valid JSON at line 1, byte 2: an object or array is not closed"], RulesFile.Parse("{").Errors);
        Assert.Equal(["not valid JSON at line 2, byte 21: 'tru}}' is an invalid JSON literal. Expected the literal 'true'"],
            RulesFile.Parse("{\"version\": 1,\n  \"dedup\": {\"x\": tru}}").Errors);
        Assert.Equal(["not valid JSON at line 1, byte 17: values nest too deeply: the rules file nests at most 16 levels"],
            RulesFile.Parse(new string('[', 17)).Errors);
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
        var d = new DeciderDriver(new IncidentPolicy { Rules = rules });

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

    [Fact]
    public void A_worsening_state_raises_the_priority_from_the_rules_when_no_impact_variable_decides()
    {
        var d = new DeciderDriver(new IncidentPolicy { Rules = RulesFile.Parse(Sample).Rules! });
        var lab = Records.Service(NotificationType.Problem, host: "l1", service: "Load", customer: "globex", state: AlertState.Warning) with
        {
            HostGroups = "lab",
            Vars = new Dictionary<string, string> { ["_HOSTCUSTOMER"] = "globex", ["_SERVICEIMPACT"] = "urgent" },
        };
        d.Apply(lab);
        Assert.Equal(Priority.P5, d.Single().Priority);

        // "urgent" is no level: the lab rule's low impact by a critical's high urgency.
        d.Apply(lab with { EventId = Guid.CreateVersion7(), ServiceState = AlertState.Critical, ServiceOutput = "worse" });
        Assert.Equal(Priority.P3, d.Single().Priority);
    }

    [Fact]
    public void A_worsening_state_reads_the_impact_variables_in_order_however_the_record_spells_them()
    {
        var d = new DeciderDriver();
        var plain = Records.Service(NotificationType.Problem, host: "p1", state: AlertState.Warning);
        d.Apply(plain);
        d.Apply(plain with { EventId = Guid.CreateVersion7(), ServiceState = AlertState.Critical, ServiceOutput = "worse" });
        Assert.Equal(Priority.P2, d.Incidents[1].Priority); // the default medium impact by high urgency

        // The first variable is no level, the second is: low by high.
        var second = Records.Service(NotificationType.Problem, host: "p2", state: AlertState.Warning) with
        {
            Vars = new Dictionary<string, string> { ["_SERVICEIMPACT"] = "urgent", ["_HOSTIMPACT"] = "low" },
        };
        d.Apply(second);
        Assert.Equal(Priority.P5, d.Incidents[2].Priority);
        d.Apply(second with { EventId = Guid.CreateVersion7(), ServiceState = AlertState.Critical, ServiceOutput = "worse" });
        Assert.Equal(Priority.P3, d.Incidents[2].Priority);

        // A name and a value written with JSON escapes, the value padded: high by high once critical.
        var escaped = Records.Service(NotificationType.Problem, host: "p3", state: AlertState.Warning) with
        {
            Vars = new Dictionary<string, string> { ["_SERVICEIMPACT"] = "high" },
        };
        d.Apply(escaped);
        Assert.Equal(Priority.P3, d.Incidents[3].Priority);
        var worse = Records.Bytes(escaped with { EventId = Guid.CreateVersion7(), ServiceState = AlertState.Critical, ServiceOutput = "worse" });
        var spelled = Encoding.UTF8.GetString(worse).Replace("\"_SERVICEIMPACT\":\"high\"", "\"_SERVICE\\u0049MPACT\":\" \\u0048igh \"", StringComparison.Ordinal);
        Assert.NotEqual(Encoding.UTF8.GetString(worse), spelled);
        d.Apply(Encoding.UTF8.GetBytes(spelled));
        Assert.Equal(Priority.P1, d.Incidents[3].Priority);
    }
}
