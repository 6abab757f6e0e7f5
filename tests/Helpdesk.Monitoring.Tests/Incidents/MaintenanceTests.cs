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
    }
}
