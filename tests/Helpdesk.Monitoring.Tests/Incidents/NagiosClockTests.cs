using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>
/// A Nagios server whose clock is hours off. Its times are what the timeline shows when they can be believed; the
/// SLA clocks, the escalation ladder and the verification hold never depend on a time that cannot have happened yet,
/// nor start an incident already breached.
/// </summary>
public sealed class NagiosClockTests
{
    private static readonly long Ahead = Records.T0 + 3 * 3600;
    private static readonly long Behind = Records.T0 - 3 * 3600;

    [Fact]
    public void A_nagios_clock_hours_ahead_starts_the_clocks_at_arrival_and_escalates_on_time()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem, timeT: Ahead));
        var opened = d.Single();
        Assert.Equal(d.Now, opened.Sla.StartedAt);
        Assert.Equal(d.Now.AddMinutes(30), opened.Sla.ResponseDueAt);
        Assert.Contains("the Nagios server's clock is ahead: the SLA clocks count from its arrival", d.Timeline[0].Text, StringComparison.Ordinal);

        // L1 has its 15 minutes of real time, not three hours and fifteen.
        d.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal("L2", d.Single().Tier);

        // A late acknowledgement stamped three hours ahead does not look early: the breach stands.
        d.Advance(TimeSpan.FromMinutes(20));
        Assert.True(d.Single().Sla.ResponseBreached);
        d.Apply(Records.Service(NotificationType.Acknowledgement, author: "bob", timeT: Ahead + 35 * 60));
        Assert.True(d.Single().Sla.ResponseBreached);
        Assert.Equal(d.Now, d.Single().AcknowledgedAt);
        Assert.DoesNotContain(d.Timeline, t => t.Kind == TimelineKind.SlaCorrected);

        // Its recovery: the verification hold counts from the arrival too, so the incident closes 30 minutes later.
        d.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, output: "OK", timeT: Ahead + 40 * 60));
        Assert.Equal(d.Now, d.Single().ResolvedAt);
        d.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(IncidentStatus.Closed, d.Single().Status);
    }

    [Fact]
    public void A_nagios_clock_hours_behind_does_not_open_an_incident_already_breached_or_closed()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem, timeT: Behind));
        var opened = d.Single();
        Assert.Equal(d.Now, opened.Sla.StartedAt);
        Assert.False(opened.Sla.ResponseBreached);
        Assert.Equal("L1", opened.Tier);
        Assert.Contains("before it arrived: the SLA clocks count from its arrival", d.Timeline[0].Text, StringComparison.Ordinal);

        d.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, output: "OK", timeT: Behind + 60));
        Assert.Equal(IncidentStatus.Resolved, d.Single().Status);
        d.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(IncidentStatus.Resolved, d.Single().Status);
    }
}
