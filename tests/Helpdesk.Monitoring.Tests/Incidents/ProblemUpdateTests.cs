using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>A PROBLEM for an incident that exists: repeat, update, late copy or reopen, and what each changes.</summary>
public sealed class ProblemUpdateTests
{
    [Fact]
    public void Output_with_escaped_characters_is_compared_as_text()
    {
        var decider = new DeciderDriver();
        const string Quoted = "CRITICAL - \"GET /\" returned 500\tafter 3 s";
        decider.Apply(Records.Service(NotificationType.Problem, output: Quoted));
        Assert.Equal(ApplyOutcome.Repeated, decider.Apply(Records.Service(NotificationType.Problem, output: Quoted, timeT: Records.T0 + 10)));
        Assert.Equal(ApplyOutcome.Updated, decider.Apply(Records.Service(NotificationType.Problem, output: Quoted + " (again)", timeT: Records.T0 + 20)));
        Assert.Equal(Quoted + " (again)", decider.Single().LastOutput);
        Assert.Equal(3, decider.Single().AlertCount);
    }

    [Fact]
    public void The_stored_output_is_the_latest_whichever_way_the_decision_came_by_it()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem, state: AlertState.Warning, output: "WARNING - load 5"));

        // One turn: a state change (whose text the timeline needs), then a new output in the same state.
        d.ApplyTurn(
            Records.Service(NotificationType.Problem, output: "CRITICAL - load \"9\" é", timeT: Records.T0 + 10),
            Records.Service(NotificationType.Problem, output: "CRITICAL - load 12", timeT: Records.T0 + 20));
        Assert.Equal("CRITICAL - load 12", d.Single().LastOutput);

        d.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, output: "OK - load \"1\"", timeT: Records.T0 + 30));
        Assert.Equal(("OK - load \"1\"", IncidentStatus.Resolved), (d.Single().LastOutput, d.Single().Status));

        // Reopened within the window, then its output restated in the same turn as a repeat would not be.
        d.ApplyTurn(
            Records.Service(NotificationType.Problem, output: "CRITICAL - back\tagain", timeT: Records.T0 + 40),
            Records.Service(NotificationType.Problem, output: "CRITICAL - load 14", timeT: Records.T0 + 50));
        Assert.Equal(("CRITICAL - load 14", IncidentStatus.Open), (d.Single().LastOutput, d.Single().Status));
        d.Apply(Records.Service(NotificationType.Problem, state: AlertState.Warning, output: "WARNING - load 6 ü", timeT: Records.T0 + 60));
        Assert.Equal("WARNING - load 6 ü", d.Single().LastOutput);
    }

    [Fact]
    public void An_older_copy_with_other_output_only_counts()
    {
        var decider = new DeciderDriver();
        decider.Apply(Records.Service(NotificationType.Problem, output: "new", timeT: Records.T0 + 60));
        Assert.Equal(ApplyOutcome.Repeated, decider.Apply(Records.Service(NotificationType.Problem, output: "old", state: AlertState.Warning, timeT: Records.T0)));
        var incident = decider.Single();
        Assert.Equal(("new", AlertState.Critical, 2L), (incident.LastOutput, incident.State, incident.AlertCount));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 60), incident.LastSeenAt);
    }

    [Fact]
    public void A_state_change_is_on_the_timeline_with_the_state_before()
    {
        var decider = new DeciderDriver();
        decider.Apply(Records.Service(NotificationType.Problem, state: AlertState.Warning, output: "slow"));
        Assert.Equal(ApplyOutcome.Updated, decider.Apply(Records.Service(NotificationType.Problem, output: "down", timeT: Records.T0 + 30)));
        // The priority rose with the urgency (WARNING low, CRITICAL high): the entry says so, as it moves the deadlines.
        Assert.Equal("CRITICAL (was WARNING): down; priority P4 → P2", decider.Timeline[^1].Text);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 30), decider.Timeline[^1].At);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 30), decider.Single().LastSeenAt);

        // A change that does not raise it says nothing of it.
        decider.Apply(Records.Service(NotificationType.Problem, state: AlertState.Unknown, output: "no answer", timeT: Records.T0 + 60));
        Assert.Equal("UNKNOWN (was CRITICAL): no answer", decider.Timeline[^1].Text);
        Assert.Equal(Priority.P2, decider.Single().Priority);
    }

    [Fact]
    public void A_reopen_clears_the_acknowledgement_and_says_why()
    {
        var decider = new DeciderDriver();
        decider.Apply(Records.Service(NotificationType.Problem));
        decider.Apply(Records.Service(NotificationType.Acknowledgement, author: "carol", comment: "on it", timeT: Records.T0 + 5));
        decider.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 60));
        decider.Now += TimeSpan.FromMinutes(5);
        Assert.Equal(ApplyOutcome.Reopened, decider.Apply(Records.Service(NotificationType.Problem, output: "refused again", timeT: Records.T0 + 300)));

        var incident = decider.Single();
        Assert.Equal(IncidentStatus.Open, incident.Status);
        Assert.Equal((null, "", ""), (incident.AcknowledgedAt, incident.AcknowledgedBy, incident.AcknowledgementComment));
        Assert.Null(incident.ResolvedAt);
        Assert.Equal((1, 2L), (incident.ReopenCount, incident.AlertCount));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 300), incident.LastSeenAt);
        Assert.Equal("Reopened from PROBLEM (CRITICAL) within the reopen window: refused again", decider.Timeline[^1].Text);
        Assert.Equal(1, decider.Decider.ActiveCount);
    }

    [Fact]
    public void After_a_recovery_the_same_nagios_problem_id_is_a_late_copy_and_a_new_one_reopens()
    {
        var decider = new DeciderDriver();
        decider.Apply(Records.Service(NotificationType.Problem) with { ServiceProblemId = "41" });
        decider.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 60) with { LastServiceProblemId = "41" });

        // A contact's copy of the first PROBLEM, arriving after the recovery (even with a later time): counted only.
        Assert.Equal(ApplyOutcome.Repeated, decider.Apply(Records.Service(NotificationType.Problem, timeT: Records.T0 + 90) with { ServiceProblemId = "41" }));
        Assert.Equal(IncidentStatus.Resolved, decider.Single().Status);
        Assert.Equal(2, decider.Single().AlertCount);

        Assert.Equal(ApplyOutcome.Reopened, decider.Apply(Records.Service(NotificationType.Problem, timeT: Records.T0 + 95) with { ServiceProblemId = "42" }));
    }

    [Fact]
    public void Without_problem_ids_a_copy_older_than_the_recovery_is_late_and_a_newer_one_reopens()
    {
        var decider = new DeciderDriver();
        decider.Apply(Records.Service(NotificationType.Problem));
        decider.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 60));
        Assert.Equal(ApplyOutcome.Repeated, decider.Apply(Records.Service(NotificationType.Problem, timeT: Records.T0 + 59)));
        Assert.Equal(ApplyOutcome.Reopened, decider.Apply(Records.Service(NotificationType.Problem, timeT: Records.T0 + 60)));
    }

    [Fact]
    public void At_the_end_of_the_reopen_window_it_reopens_and_after_it_a_new_incident_opens()
    {
        var decider = new DeciderDriver(new IncidentPolicy { ReopenWindow = TimeSpan.FromMinutes(10) });
        decider.Apply(Records.Service(NotificationType.Problem));
        decider.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 60));
        Assert.Equal(ApplyOutcome.Reopened, decider.Apply(Records.Service(NotificationType.Problem, timeT: Records.T0 + 660)));
        decider.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 700));
        Assert.Equal(ApplyOutcome.Opened, decider.Apply(Records.Service(NotificationType.Problem, timeT: Records.T0 + 1301)));
        Assert.Equal(2, decider.Incidents.Count);
    }
}
