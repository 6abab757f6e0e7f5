using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>
/// Notifications Nagios reported long before they arrive (a replayed spool, a Nagios with a wrong clock): past
/// <see cref="IncidentPolicy.MaxReportAge"/> the SLA clocks and the verification hold start at arrival, and the
/// timeline says so; a little late (a backlog) keeps Nagios' time.
/// </summary>
public sealed class LateReportTests
{
    [Fact]
    public void A_week_old_problem_is_not_born_breached_at_L3_and_its_resolution_is_held_from_arrival()
    {
        var d = new DeciderDriver();
        var weekAgo = d.Now - TimeSpan.FromDays(7);
        d.Apply(Records.Service(NotificationType.Problem, timeT: weekAgo.ToUnixTimeSeconds()));
        d.Advance(TimeSpan.FromSeconds(1));
        var opened = d.Single();
        Assert.Equal(weekAgo, opened.OpenedAt);
        Assert.Equal(d.Now - TimeSpan.FromSeconds(1), opened.Sla.StartedAt);
        Assert.Equal(("L1", false, false), (opened.Tier, opened.Sla.ResponseBreached, opened.Sla.ResolutionBreached));
        Assert.Contains("7 days before it arrived: the SLA clocks count from its arrival", d.Timeline[0].Text, StringComparison.Ordinal);

        d.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: weekAgo.ToUnixTimeSeconds() + 60));
        d.Advance(TimeSpan.FromSeconds(1));
        var resolved = d.Single();
        Assert.Equal(IncidentStatus.Resolved, resolved.Status);
        Assert.Contains("the verification hold counts from its arrival", d.Timeline[^1].Text, StringComparison.Ordinal);
        d.Advance(d.Policy.VerificationHold - TimeSpan.FromSeconds(10));
        Assert.Equal(IncidentStatus.Resolved, d.Single().Status);
        d.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(IncidentStatus.Closed, d.Single().Status);
    }

    [Fact]
    public void A_problem_a_little_late_keeps_nagios_time()
    {
        var d = new DeciderDriver();
        var reported = d.Now - TimeSpan.FromMinutes(20);
        d.Apply(Records.Service(NotificationType.Problem, timeT: reported.ToUnixTimeSeconds()));
        Assert.Equal(reported, d.Single().Sla.StartedAt);
        Assert.DoesNotContain("before it arrived", d.Timeline[0].Text, StringComparison.Ordinal);
    }
}
