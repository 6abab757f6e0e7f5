using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>A rules file reloaded while incidents are open: what comes next is decided as after a restart with it.</summary>
public sealed class PolicyReloadTests
{
    private static IncidentPolicy With(string rulesJson) =>
        new IncidentPolicy().WithRules(RulesFile.Parse($$"""{ "version": 1, {{rulesJson}} }""").Rules!);

    private static IncidentPolicy RoutedTo(string team) =>
        With($$"""
            "routing": { "routes": [ { "match": { "host": "web*" }, "team": "{{team}}", "tier": "L1" } ], "defaultTeam": "helpdesk" }
            """);

    [Fact]
    public void New_problems_take_the_reloaded_routes_and_open_incidents_keep_their_team()
    {
        var d = new DeciderDriver(RoutedTo("web"));
        d.Apply(Records.Service(NotificationType.Problem, host: "web01"));
        d.Decider.UsePolicy(RoutedTo("platform"));
        d.Apply(Records.Service(NotificationType.Problem, host: "web02", timeT: Records.T0 + 60));

        Assert.Equal([("web01", "web"), ("web02", "platform")], d.Incidents.Values.OrderBy(i => i.Id).Select(i => (i.Host, i.Team)).ToArray());
    }

    [Fact]
    public void A_shorter_L1_window_counts_from_the_opening_so_an_incident_already_past_it_moves_to_L2_at_once()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem));
        d.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal("L1", d.Single().Tier);

        d.Decider.UsePolicy(With(""" "sla": { "l1Window": "5m" } """));
        d.Advance(TimeSpan.Zero);
        Assert.Equal("L2", d.Single().Tier);
        Assert.Contains(d.Timeline, e => e.Text == "Escalated from L1 to L2: not acknowledged by L1 within 5m");
    }

    [Fact]
    public void A_longer_L1_window_holds_the_escalation_the_old_one_had_queued()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem));
        d.Decider.UsePolicy(With(""" "sla": { "l1Window": "20m" } """));

        d.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal("L1", d.Single().Tier);
        d.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal("L2", d.Single().Tier);
        Assert.Single(d.Timeline, e => e.Kind == TimelineKind.Escalated);
    }

    [Fact]
    public void A_shorter_verification_hold_closes_a_resolved_incident_when_the_new_hold_ends()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem));
        d.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 60));
        d.Now = DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 60);

        d.Decider.UsePolicy(With(""" "dedup": { "verificationHold": "5m" } """));
        d.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(IncidentStatus.Resolved, d.Single().Status);
        d.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(IncidentStatus.Closed, d.Single().Status);
        Assert.Contains(d.Timeline, e => e.Text == "Closed: no new problem during the verification hold of 5 minutes.");
    }
}
