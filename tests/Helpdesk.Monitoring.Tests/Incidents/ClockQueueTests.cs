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

    [Fact]
    public void Clocks_due_together_come_out_in_clock_order_at_their_instant_and_a_far_deadline_does_not_wrap()
    {
        // The queue never looks at the incident: which clock, and when, is all it orders by.
        var clocks = new DueClocks();
        var at = new DateTimeOffset(2026, 3, 29, 3, 0, 0, TimeSpan.FromHours(2));
        clocks.Schedule(null!, Clock.Close, at);
        clocks.Schedule(null!, Clock.L1Window, DateTimeOffset.MaxValue);
        clocks.Schedule(null!, Clock.Resolution, at);
        clocks.Schedule(null!, Clock.FlapQuiet, at);
        clocks.Schedule(null!, Clock.Response, at.AddTicks(1));

        Assert.False(clocks.TryTakeDue(at.AddTicks(-1), out _, out _, out _));
        var taken = new List<(Clock, DateTimeOffset)>();
        while (clocks.TryTakeDue(at, out _, out var clock, out var due))
        {
            taken.Add((clock, due));
        }

        Assert.Equal([(Clock.FlapQuiet, at), (Clock.Resolution, at), (Clock.Close, at)], taken);
        Assert.True(clocks.TryTakeDue(at.AddTicks(1), out _, out var next, out _));
        Assert.Equal(Clock.Response, next);
        Assert.False(clocks.TryTakeDue(at.AddYears(1000), out _, out _, out _));
        Assert.Equal(1, clocks.Count);
    }

    [Fact]
    public void Every_clock_fits_the_bits_the_queue_keeps_it_in()
    {
        Assert.All(Enum.GetValues<Clock>(), c => Assert.InRange((int)c, 0, 7));
    }
}
