using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>An agent's acknowledge and resolve, decided by the decider: who, what the timeline says, and what is refused.</summary>
public sealed class AgentActionTests
{
    private static AgentAction Acknowledge(long incident, string comment = "") => new(Guid.CreateVersion7(), incident, AgentActionKind.Acknowledge, "alice", comment);

    private static AgentAction Resolve(long incident, string comment = "") => new(Guid.CreateVersion7(), incident, AgentActionKind.Resolve, "bob", comment);

    [Fact]
    public void An_acknowledgement_records_who_and_why_once()
    {
        var decider = new DeciderDriver();
        decider.Apply(Records.Service(NotificationType.Problem));
        var id = decider.Single().Id;
        decider.Now += TimeSpan.FromMinutes(3);

        Assert.Equal(ApplyOutcome.Acknowledged, decider.Apply(Acknowledge(id, "on it")));
        var incident = decider.Single();
        Assert.Equal(IncidentStatus.Acknowledged, incident.Status);
        Assert.Equal("alice", incident.AcknowledgedBy);
        Assert.Equal("on it", incident.AcknowledgementComment);
        Assert.Equal(decider.Now, incident.AcknowledgedAt);
        Assert.Equal("Acknowledged in the helpdesk by alice: on it", decider.Timeline[^1].Text);
        Assert.Equal(TimelineKind.Acknowledged, decider.Timeline[^1].Kind);

        // A second acknowledgement (another action) changes nothing; the same action again is a redelivery.
        var entries = decider.Timeline.Count;
        Assert.Equal(ApplyOutcome.Repeated, decider.Apply(Acknowledge(id, "me too")));
        Assert.Equal("alice", decider.Single().AcknowledgedBy);
        Assert.Equal(entries, decider.Timeline.Count);
    }

    [Fact]
    public void An_agents_acknowledgement_is_routed_as_one_and_nagios_echo_of_it_adds_nothing()
    {
        var decider = new DeciderDriver();
        decider.Apply(Records.Service(NotificationType.Problem));
        var id = decider.Single().Id;

        // The acknowledgement is marked as a person's, for the channel that writes it to Nagios.
        var plan = new CommitPlan();
        decider.Decider.Apply(Acknowledge(id, "looking"), decider.Now, false, plan);
        plan.Seal();
        var routed = new List<Helpdesk.Monitoring.Policy.OutboundEvent>();
        plan.Route(e => { routed.Add(e); return []; }, decider.Now, TimeSpan.Zero);
        Assert.Equal([("acknowledged", true)], routed.Select(e => (e.Name, e.ByAgent)));
        var entries = decider.Decider.LiveCount;

        // Nagios then notifies ACKNOWLEDGEMENT by alice with the comment as the helpdesk wrote it: an echo, nothing new.
        var echo = Records.Service(NotificationType.Acknowledgement, author: "alice", comment: "looking (INC-000001)", timeT: Records.T0 + 60);
        var record = Records.Bytes(echo);
        var fields = Records.Parse(record);
        var echoPlan = new CommitPlan();
        Assert.Equal(ApplyOutcome.Repeated, decider.Decider.Apply(record, in fields, decider.Now, false, echoPlan));
        echoPlan.Seal();
        Assert.Empty(echoPlan.Timeline);

        // Another person's acknowledgement in Nagios is news: it is recorded, and not routed back to Nagios.
        var other = Records.Service(NotificationType.Acknowledgement, author: "bob", comment: "mine now", timeT: Records.T0 + 90);
        record = Records.Bytes(other);
        fields = Records.Parse(record);
        var otherPlan = new CommitPlan();
        Assert.Equal(ApplyOutcome.Acknowledged, decider.Decider.Apply(record, in fields, decider.Now, false, otherPlan));
        otherPlan.Seal();
        routed.Clear();
        otherPlan.Route(e => { routed.Add(e); return []; }, decider.Now, TimeSpan.Zero);
        Assert.Equal([("acknowledged", false)], routed.Select(e => (e.Name, e.ByAgent)));
        Assert.Equal(entries, decider.Decider.LiveCount);
    }

    [Fact]
    public void Without_a_comment_the_timeline_says_only_who()
    {
        var decider = new DeciderDriver();
        decider.Apply(Records.Service(NotificationType.Problem));
        decider.Apply(Acknowledge(decider.Single().Id));
        Assert.Equal("Acknowledged in the helpdesk by alice", decider.Timeline[^1].Text);
    }

    [Fact]
    public void The_same_action_twice_is_a_redelivery_and_changes_nothing()
    {
        var decider = new DeciderDriver();
        decider.Apply(Records.Service(NotificationType.Problem));
        var action = Resolve(decider.Single().Id, "fixed");
        Assert.Equal(ApplyOutcome.Resolved, decider.Apply(action));
        var entries = decider.Timeline.Count;

        Assert.Equal(ApplyOutcome.Redelivered, decider.Apply(action));
        Assert.Equal(entries, decider.Timeline.Count);

        // The store may know an id this decider does not (applied before a restart): also a redelivery.
        decider.Restart();
        Assert.Equal(ApplyOutcome.Redelivered, decider.Apply(Acknowledge(decider.Single().Id), knownApplied: true));
        Assert.Equal(IncidentStatus.Resolved, decider.Single().Status);
    }

    [Fact]
    public void A_resolve_by_an_agent_resolves_and_says_who_and_what_is_still_failing()
    {
        var decider = new DeciderDriver();
        decider.Apply(Records.Service(NotificationType.Problem));
        decider.Now += TimeSpan.FromMinutes(10);
        Assert.Equal(ApplyOutcome.Resolved, decider.Apply(Resolve(decider.Single().Id, "restarted httpd")));
        Assert.Equal(IncidentStatus.Resolved, decider.Single().Status);
        Assert.Equal(decider.Now, decider.Single().ResolvedAt);
        Assert.Equal("Resolved by bob: restarted httpd", decider.Timeline[^1].Text);

        // A host down holding its failing services: the resolve says how many of them have not recovered.
        var host = new DeciderDriver();
        host.Apply(Records.Host(NotificationType.Problem, host: "db01"));
        host.Apply(Records.Service(NotificationType.Problem, host: "db01", service: "MySQL", timeT: Records.T0 + 1));
        host.Apply(Records.Service(NotificationType.Problem, host: "db01", service: "SSH", timeT: Records.T0 + 2));
        host.Apply(Resolve(host.Single().Id));
        Assert.Equal("Resolved by bob (2 correlated alerts still failing)", host.Timeline[^1].Text);
    }

    [Fact]
    public void Actions_on_unknown_or_resolved_incidents_are_ignored_but_remembered()
    {
        var decider = new DeciderDriver();
        decider.Apply(Records.Service(NotificationType.Problem));
        var id = decider.Single().Id;
        Assert.Equal(ApplyOutcome.Ignored, decider.Apply(Acknowledge(id + 100)));

        decider.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 60));
        var entries = decider.Timeline.Count;
        var late = Acknowledge(id);
        Assert.Equal(ApplyOutcome.Ignored, decider.Apply(late));
        Assert.Equal(ApplyOutcome.Ignored, decider.Apply(Resolve(id)));
        Assert.Equal(entries, decider.Timeline.Count);
        Assert.Equal(IncidentStatus.Resolved, decider.Single().Status);
        Assert.Equal(ApplyOutcome.Redelivered, decider.Apply(late));
    }
}
