using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>
/// Late reports correct the SLA record: an acknowledgement or recovery that Nagios timestamped before a deadline, but
/// that arrived after the breach was recorded, takes the breach back (the escalation stays: someone was paged).
/// </summary>
public sealed class SlaCorrectionTests
{
    [Fact]
    public void A_late_acknowledgement_made_before_the_deadline_takes_the_response_breach_back()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem, timeT: Records.T0));
        d.Advance(TimeSpan.FromMinutes(31));
        Assert.True(d.Single().Sla.ResponseBreached);
        var tier = d.Single().Tier;

        // Acknowledged in Nagios at 00:00:30, delivered only now (a backlog).
        d.Apply(Records.Service(NotificationType.Acknowledgement, author: "alice", comment: "on it", timeT: Records.T0 + 30));
        var incident = d.Single();
        Assert.False(incident.Sla.ResponseBreached);
        Assert.Equal(tier, incident.Tier);
        var entry = d.Timeline[^1];
        Assert.Equal(TimelineKind.SlaCorrected, entry.Kind);
        Assert.StartsWith("The response target met after all: acknowledged at ", entry.Text, StringComparison.Ordinal);

        // An acknowledgement after the deadline corrects nothing.
        var late = new DeciderDriver();
        late.Apply(Records.Service(NotificationType.Problem, timeT: Records.T0));
        late.Advance(TimeSpan.FromMinutes(31));
        late.Apply(Records.Service(NotificationType.Acknowledgement, author: "bob", comment: "late", timeT: Records.T0 + 1900));
        Assert.True(late.Single().Sla.ResponseBreached);
        Assert.DoesNotContain(late.Timeline, t => t.Kind == TimelineKind.SlaCorrected);
    }

    [Fact]
    public void A_late_recovery_made_before_the_deadlines_takes_both_breaches_back()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem, timeT: Records.T0));
        d.Advance(TimeSpan.FromHours(9));
        Assert.True(d.Single().Sla is { ResponseBreached: true, ResolutionBreached: true });
        d.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, output: "OK", timeT: Records.T0 + 120));
        var incident = d.Single();
        Assert.Equal(IncidentStatus.Resolved, incident.Status);
        Assert.False(incident.Sla.ResponseBreached || incident.Sla.ResolutionBreached);
        Assert.Contains(d.Timeline, t => t.Kind == TimelineKind.SlaCorrected && t.Text.StartsWith("The response and resolution targets met after all: recovered", StringComparison.Ordinal));
    }
}
