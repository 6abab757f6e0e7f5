using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>FLAPPINGSTART/STOP/DISABLED: one held-open incident instead of resolve/reopen churn (virtual time).</summary>
public sealed class FlappingTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMinutes(5);

    private static DeciderDriver Driver() =>
        new(new IncidentPolicy { FlapQuietPeriod = Quiet, VerificationHold = TimeSpan.FromHours(1), ReopenWindow = TimeSpan.FromMinutes(30) });

    private static Notification At(NotificationType type, long offset, AlertState state) =>
        Records.Service(type, timeT: Records.T0 + offset, state: state, output: NagiosNames.Of(state) + " - check");

    [Fact]
    public void Recoveries_while_flapping_do_not_resolve_and_the_quiet_period_then_resolves_a_healthy_incident()
    {
        var d = Driver();
        d.Apply(At(NotificationType.Problem, 0, AlertState.Critical));
        d.Apply(At(NotificationType.FlappingStart, 10, AlertState.Critical));
        Assert.True(d.Single().Flapping);
        Assert.Equal(1, d.Single().FlapCount);

        Assert.Equal(ApplyOutcome.Updated, d.Apply(At(NotificationType.Recovery, 20, AlertState.Ok)));
        Assert.Equal(ApplyOutcome.Updated, d.Apply(At(NotificationType.Problem, 30, AlertState.Critical)));
        Assert.Equal(ApplyOutcome.Updated, d.Apply(At(NotificationType.Recovery, 40, AlertState.Ok)));
        Assert.Equal(IncidentStatus.Open, d.Single().Status);
        Assert.Equal(0, d.Single().ReopenCount);

        // Each recovery is on the timeline, as each problem is, so that the flap reads both ways.
        Assert.Equal(2, d.Timeline.Count(e => e.Text == "Recovered (OK) while flapping: OK - check; held open until it has been quiet after flapping stops"));

        d.Apply(At(NotificationType.FlappingStop, 50, AlertState.Ok));
        Assert.False(d.Single().Flapping);
        d.Now = DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 50);
        d.Advance(Quiet - TimeSpan.FromSeconds(1));
        Assert.Equal(IncidentStatus.Open, d.Single().Status);
        d.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(IncidentStatus.Resolved, d.Single().Status);
        Assert.Null(d.Single().FlapQuietUntil);
    }

    [Fact]
    public void A_failing_state_after_the_quiet_period_stays_open()
    {
        var d = Driver();
        d.Apply(At(NotificationType.Problem, 0, AlertState.Critical));
        d.Apply(At(NotificationType.FlappingStart, 10, AlertState.Critical));
        d.Apply(At(NotificationType.FlappingDisabled, 20, AlertState.Critical));
        d.Now = DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 20);
        d.Advance(Quiet);
        Assert.Equal(IncidentStatus.Open, d.Single().Status);
        Assert.Contains(d.Timeline, e => e.Text.StartsWith("Still CRITICAL after flapping stopped", StringComparison.Ordinal));

        // Once quiet, a recovery resolves again as usual.
        Assert.Equal(ApplyOutcome.Resolved, d.Apply(At(NotificationType.Recovery, 400, AlertState.Ok)));
    }

    [Fact]
    public void An_incident_opened_by_flapping_resolves_when_the_stop_says_the_object_settled_ok()
    {
        // Nagios sends no RECOVERY here: it had notified no problem before the flapping began.
        var d = Driver();
        d.Apply(At(NotificationType.FlappingStart, 0, AlertState.Warning));
        d.Apply(At(NotificationType.FlappingStop, 100, AlertState.Ok));
        Assert.Equal(AlertState.Ok, d.Single().State);
        Assert.Contains(d.Timeline, e => e.Text == "Recovered (OK) while flapping: OK - check; held open until it has been quiet after flapping stops");
        d.Now = DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 100);
        d.Advance(Quiet + TimeSpan.FromMinutes(10));
        Assert.Equal(IncidentStatus.Resolved, d.Single().Status);
        Assert.Equal("Resolved: OK after flapping stopped and a quiet period", d.Timeline[^1].Text);

        // Dated when the quiet period ended, not when the clock was next looked at.
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 100) + Quiet, d.Single().ResolvedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 100) + Quiet, d.Timeline[^1].At);
    }

    [Fact]
    public void An_incident_that_recovered_while_flapping_stays_open_when_the_stop_says_it_settled_failing()
    {
        var d = Driver();
        d.Apply(At(NotificationType.Problem, 0, AlertState.Critical));
        d.Apply(At(NotificationType.FlappingStart, 10, AlertState.Critical));
        d.Apply(At(NotificationType.Recovery, 20, AlertState.Ok));
        d.Apply(At(NotificationType.FlappingStop, 30, AlertState.Critical));
        Assert.Equal(AlertState.Critical, d.Single().State);
        Assert.Contains(d.Timeline, e => e.Text == "CRITICAL (was OK): CRITICAL - check");
        d.Now = DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 30);
        d.Advance(Quiet);
        Assert.Equal(IncidentStatus.Open, d.Single().Status);
        Assert.Equal("Still CRITICAL after flapping stopped: stays open", d.Timeline[^1].Text);
    }

    [Fact]
    public void A_stop_older_than_the_problem_last_seen_leaves_the_state_alone()
    {
        // Nagios' workers run in parallel: a stop reported before a problem already seen says nothing newer.
        var d = Driver();
        d.Apply(At(NotificationType.FlappingStart, 0, AlertState.Warning));
        d.Apply(At(NotificationType.Problem, 50, AlertState.Critical));
        d.Apply(At(NotificationType.FlappingStop, 40, AlertState.Ok));
        Assert.Equal(AlertState.Critical, d.Single().State);
        d.Now = DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 50);
        d.Advance(Quiet);
        Assert.Equal(IncidentStatus.Open, d.Single().Status);
    }

    [Fact]
    public void Flapping_again_during_the_quiet_period_keeps_holding()
    {
        var d = Driver();
        d.Apply(At(NotificationType.FlappingStart, 0, AlertState.Warning));
        d.Apply(At(NotificationType.FlappingStop, 10, AlertState.Ok));
        d.Apply(At(NotificationType.FlappingStart, 20, AlertState.Critical));
        d.Now = DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 10);
        d.Advance(Quiet + TimeSpan.FromMinutes(1));
        var incident = d.Single();
        Assert.Equal(IncidentStatus.Open, incident.Status);
        Assert.True(incident.Flapping);
        Assert.Equal(2, incident.FlapCount);
        Assert.Equal("web01 / HTTP is flapping", incident.Title);
    }

    [Fact]
    public void Flapping_state_survives_a_rebuild_from_the_store()
    {
        var d = Driver();
        d.Apply(At(NotificationType.Problem, 0, AlertState.Critical));
        d.Apply(At(NotificationType.FlappingStart, 10, AlertState.Critical));
        d.Apply(At(NotificationType.FlappingStop, 20, AlertState.Ok));
        d.Restart(new IncidentPolicy { FlapQuietPeriod = Quiet });
        d.Apply(At(NotificationType.Recovery, 30, AlertState.Ok));
        Assert.Equal(IncidentStatus.Open, d.Single().Status);
        d.Now = DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 20);
        d.Advance(Quiet);
        Assert.Equal(IncidentStatus.Resolved, d.Single().Status);
    }
}
