using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>The flapping notifications' own words and refusals (the hold itself is in FlappingTests).</summary>
public sealed class FlapNotesTests
{
    private static readonly IncidentPolicy Policy = new() { FlapQuietPeriod = TimeSpan.FromMinutes(15), ReopenWindow = TimeSpan.FromMinutes(30) };

    [Fact]
    public void Start_and_stop_say_what_happens_next()
    {
        var decider = new DeciderDriver(Policy);
        Assert.Equal(ApplyOutcome.Opened, decider.Apply(Records.Service(NotificationType.FlappingStart)));
        Assert.Equal("Flapping started (1x): held open until it has been quiet for 15 minutes after it stops", decider.Timeline[^1].Text);
        Assert.Equal(ApplyOutcome.Repeated, decider.Apply(Records.Service(NotificationType.FlappingStart, timeT: Records.T0 + 5)));

        Assert.Equal(ApplyOutcome.Noted, decider.Apply(Records.Service(NotificationType.FlappingStop, timeT: Records.T0 + 60)));
        Assert.Equal("Flapping stopped: the state applies after 15 minutes of quiet", decider.Timeline[^1].Text);
        Assert.Equal(ApplyOutcome.Repeated, decider.Apply(Records.Service(NotificationType.FlappingStop, timeT: Records.T0 + 61)));

        Assert.Equal(ApplyOutcome.Noted, decider.Apply(Records.Service(NotificationType.FlappingStart, timeT: Records.T0 + 120)));
        Assert.StartsWith("Flapping started (2x)", decider.Timeline[^1].Text, StringComparison.Ordinal);
        Assert.Equal(ApplyOutcome.Noted, decider.Apply(Records.Service(NotificationType.FlappingDisabled, timeT: Records.T0 + 180)));
        Assert.Equal("Flap detection disabled: the state applies after 15 minutes of quiet", decider.Timeline[^1].Text);
    }

    [Fact]
    public void A_stop_for_nothing_known_is_ignored()
    {
        var decider = new DeciderDriver(Policy);
        Assert.Equal(ApplyOutcome.Ignored, decider.Apply(Records.Service(NotificationType.FlappingStop)));
        Assert.Equal(ApplyOutcome.Ignored, decider.Apply(Records.Service(NotificationType.FlappingDisabled)));
        Assert.Empty(decider.Incidents);
    }

    [Fact]
    public void A_start_within_the_reopen_window_reopens_and_after_it_opens_anew()
    {
        var decider = new DeciderDriver(Policy);
        decider.Apply(Records.Service(NotificationType.Problem));
        decider.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 60));
        Assert.Equal(ApplyOutcome.Reopened, decider.Apply(Records.Service(NotificationType.FlappingStart, timeT: Records.T0 + 60 + 1800)));
        Assert.Single(decider.Incidents);

        var later = new DeciderDriver(Policy);
        later.Apply(Records.Service(NotificationType.Problem));
        later.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 60));
        Assert.Equal(ApplyOutcome.Opened, later.Apply(Records.Service(NotificationType.FlappingStart, timeT: Records.T0 + 60 + 1801)));
        Assert.Equal(2, later.Incidents.Count);
    }
}
