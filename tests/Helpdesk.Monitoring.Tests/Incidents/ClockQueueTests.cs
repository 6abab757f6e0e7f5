using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>
/// The queue of SLA and lifecycle clocks stays the size of what is live: a closed incident's later clocks (its
/// resolution target, hours out) do not keep it in memory until they come due. Found by the half-hour soak.
/// </summary>
public sealed class ClockQueueTests
{
    [Fact]
    public void Closed_incidents_leave_the_clock_queue_long_before_their_resolution_targets_come_due()
    {
        var d = new DeciderDriver();
        for (var i = 0; i < 10_000; i++)
        {
            d.Apply(Records.Service(NotificationType.Problem, host: $"app{i:D5}", timeT: Records.T0));
            d.Apply(Records.Service(NotificationType.Recovery, host: $"app{i:D5}", state: AlertState.Ok, output: "OK", timeT: Records.T0 + 1));
        }

        // Past the verification hold: all closed, every one with an 8-hour resolution clock still ahead of it.
        d.Advance(TimeSpan.FromMinutes(31));
        Assert.All(d.Incidents.Values, i => Assert.Equal(IncidentStatus.Closed, i.Status));
        Assert.Equal(0, d.Decider.LiveCount);
        d.Advance(TimeSpan.FromMinutes(1));
        Assert.InRange(d.Decider.ScheduledClocks, 0, 4096);

        // What is live keeps its clocks: a new problem still escalates on time.
        d.Apply(Records.Service(NotificationType.Problem, host: "late01", timeT: d.Now.ToUnixTimeSeconds()));
        d.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal("L2", d.Incidents.Values.Single(i => i.Host == "late01").Tier);
    }
}
