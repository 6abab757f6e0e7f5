using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>Acknowledgements and CUSTOM notes made in Nagios, as the incident's timeline and fields show them.</summary>
public sealed class NagiosNotesTests
{
    [Fact]
    public void A_nagios_acknowledgement_says_who_and_why_and_keeps_the_first_time()
    {
        var decider = new DeciderDriver();
        decider.Apply(Records.Service(NotificationType.Problem));
        decider.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(ApplyOutcome.Acknowledged, decider.Apply(Records.Service(NotificationType.Acknowledgement, author: "carol", comment: "looking", timeT: Records.T0 + 60)));
        Assert.Equal("Acknowledged in Nagios by carol: looking", decider.Timeline[^1].Text);
        var first = decider.Single().AcknowledgedAt;
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 60), first);

        // Each contact gets a copy: the same author and comment again is a repeat, not a second entry.
        var entries = decider.Timeline.Count;
        Assert.Equal(ApplyOutcome.Repeated, decider.Apply(Records.Service(NotificationType.Acknowledgement, author: "carol", comment: "looking", timeT: Records.T0 + 60)));
        Assert.Equal(entries, decider.Timeline.Count);

        // A new acknowledgement (another person) is recorded; the incident was first acknowledged when it was.
        Assert.Equal(ApplyOutcome.Acknowledged, decider.Apply(Records.Service(NotificationType.Acknowledgement, author: "dave", timeT: Records.T0 + 120)));
        Assert.Equal("Acknowledged in Nagios by dave", decider.Timeline[^1].Text);
        Assert.Equal(("dave", "", first), (decider.Single().AcknowledgedBy, decider.Single().AcknowledgementComment, decider.Single().AcknowledgedAt));

        Assert.Equal(ApplyOutcome.Acknowledged, decider.Apply(Records.Service(NotificationType.Acknowledgement, comment: "same person, new words", timeT: Records.T0 + 180)));
        Assert.Equal("Acknowledged in Nagios by (unknown): same person, new words", decider.Timeline[^1].Text);
    }

    [Fact]
    public void An_acknowledgement_of_nothing_open_is_ignored()
    {
        var decider = new DeciderDriver();
        Assert.Equal(ApplyOutcome.Ignored, decider.Apply(Records.Service(NotificationType.Acknowledgement, author: "carol")));
        decider.Apply(Records.Service(NotificationType.Problem));
        decider.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 10));
        Assert.Equal(ApplyOutcome.Ignored, decider.Apply(Records.Service(NotificationType.Acknowledgement, author: "carol", timeT: Records.T0 + 20)));
        Assert.Equal(IncidentStatus.Resolved, decider.Single().Status);
    }

    [Fact]
    public void A_custom_notification_is_a_note_once()
    {
        var decider = new DeciderDriver();
        decider.Apply(Records.Service(NotificationType.Problem));
        Assert.Equal(ApplyOutcome.Noted, decider.Apply(Records.Service(NotificationType.Custom, author: "erin", comment: "vendor called", timeT: Records.T0 + 30)));
        Assert.Equal("CUSTOM by erin: vendor called", decider.Timeline[^1].Text);
        Assert.Equal(TimelineKind.Note, decider.Timeline[^1].Kind);
        Assert.Equal(ApplyOutcome.Repeated, decider.Apply(Records.Service(NotificationType.Custom, author: "erin", comment: "vendor called", timeT: Records.T0 + 30)));

        Assert.Equal(ApplyOutcome.Noted, decider.Apply(Records.Service(NotificationType.Custom, timeT: Records.T0 + 40)));
        Assert.Equal("CUSTOM", decider.Timeline[^1].Text);
        Assert.Equal(ApplyOutcome.Noted, decider.Apply(Records.Service(NotificationType.Custom, comment: "no author", timeT: Records.T0 + 50)));
        Assert.Equal("CUSTOM: no author", decider.Timeline[^1].Text);
        Assert.Equal(ApplyOutcome.Ignored, decider.Apply(Records.Service(NotificationType.Custom, host: "unknown-host", comment: "x")));
    }
}
