using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>DOWNTIMESTART/END/CANCELLED: maintenance on the incident's object.</summary>
public sealed class MaintenanceTests
{
    [Fact]
    public void A_recovery_in_maintenance_resolves_and_says_so()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem));
        Assert.Equal(ApplyOutcome.Noted, d.Apply(Records.Service(NotificationType.DowntimeStart, author: "ops", comment: "firmware upgrade", timeT: Records.T0 + 10)));
        Assert.True(d.Single().InMaintenance);
        Assert.Equal(ApplyOutcome.Repeated, d.Apply(Records.Service(NotificationType.DowntimeStart, author: "ops", comment: "firmware upgrade", timeT: Records.T0 + 10)));

        Assert.Equal(ApplyOutcome.Resolved, d.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, output: "OK", timeT: Records.T0 + 20)));
        Assert.Contains(d.Timeline, e => e.Kind == TimelineKind.Resolved && e.Text.StartsWith("Recovered (OK) in maintenance", StringComparison.Ordinal));

        d.Apply(Records.Service(NotificationType.DowntimeEnd, timeT: Records.T0 + 30, state: AlertState.Ok));
        Assert.False(d.Single().InMaintenance);
    }

    [Fact]
    public void At_the_end_of_maintenance_a_still_failing_incident_is_paged_as_new()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem));
        d.Apply(Records.Service(NotificationType.DowntimeStart, timeT: Records.T0 + 10));
        Assert.Equal(ApplyOutcome.Noted, d.Apply(Records.Service(NotificationType.DowntimeCancelled, author: "ops", timeT: Records.T0 + 20)));
        Assert.False(d.Single().InMaintenance);
        Assert.Contains(d.Timeline, e => e.Text == "Maintenance cancelled by ops; still CRITICAL: paged as new");
    }

    [Fact]
    public void Downtime_without_an_incident_is_recorded_and_ignored()
    {
        var d = new DeciderDriver();
        Assert.Equal(ApplyOutcome.Ignored, d.Apply(Records.Service(NotificationType.DowntimeStart)));
        Assert.Empty(d.Incidents);
        Assert.Equal(new ScheduledDowntime("nagios-a", "web01", "HTTP", DateTimeOffset.FromUnixTimeSeconds(Records.T0)), Assert.Single(d.Committed.Downtimes));
    }

    [Fact]
    public void A_downtime_that_started_before_a_restart_still_holds_a_problem_inside_it_in_maintenance()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Host(NotificationType.DowntimeStart, host: "web01", state: AlertState.Up, timeT: Records.T0));
        d.Restart();

        // The host's downtime covers its services, after the restart as before it.
        Assert.Equal(ApplyOutcome.Opened, d.Apply(Records.Service(NotificationType.Problem, timeT: Records.T0 + 60)));
        Assert.True(d.Single().InMaintenance);
        Assert.Contains(d.Timeline, e => e.Kind == TimelineKind.Opened && e.Text.Contains("in maintenance: scheduled downtime since", StringComparison.Ordinal));
    }

    [Fact]
    public void A_downtime_that_ended_before_a_restart_holds_nothing_after_it()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.DowntimeStart, timeT: Records.T0));
        d.Apply(Records.Service(NotificationType.DowntimeEnd, state: AlertState.Ok, timeT: Records.T0 + 30));
        Assert.Empty(d.Committed.Downtimes);
        d.Restart();

        d.Apply(Records.Service(NotificationType.Problem, timeT: Records.T0 + 60));
        Assert.False(d.Single().InMaintenance);
    }

    [Fact]
    public void A_downtime_started_and_ended_in_one_batch_is_written_as_ended()
    {
        var d = new DeciderDriver();
        d.ApplyTurn(
            Records.Service(NotificationType.DowntimeStart, timeT: Records.T0),
            Records.Service(NotificationType.DowntimeCancelled, state: AlertState.Ok, timeT: Records.T0 + 5));
        Assert.Empty(d.Committed.Downtimes);

        // The other way round, the start stands.
        d.ApplyTurn(
            Records.Service(NotificationType.DowntimeEnd, state: AlertState.Ok, timeT: Records.T0 + 10),
            Records.Service(NotificationType.DowntimeStart, timeT: Records.T0 + 20));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 20), Assert.Single(d.Committed.Downtimes).Since);
    }

    [Fact]
    public void A_second_start_of_a_downtime_keeps_the_first_and_writes_nothing()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.DowntimeStart, timeT: Records.T0));
        var plan = new CommitPlan();
        var record = Records.Bytes(Records.Service(NotificationType.DowntimeStart, timeT: Records.T0 + 40));
        var fields = Records.Parse(record);
        d.Decider.Apply(record, in fields, d.Now, knownApplied: false, plan);
        Assert.Empty(plan.Downtimes);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Records.T0), Assert.Single(d.Committed.Downtimes).Since);
    }
}
