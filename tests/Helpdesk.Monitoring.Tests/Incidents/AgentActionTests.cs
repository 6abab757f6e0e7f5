using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>An agent's acknowledge and resolve, decided by the book: who, what the timeline says, and what is refused.</summary>
public sealed class AgentActionTests
{
    private static AgentAction Acknowledge(long incident, string comment = "") => new(Guid.CreateVersion7(), incident, AgentActionKind.Acknowledge, "alice", comment);

    private static AgentAction Resolve(long incident, string comment = "") => new(Guid.CreateVersion7(), incident, AgentActionKind.Resolve, "bob", comment);

    [Fact]
    public void An_acknowledgement_records_who_and_why_once()
    {
        var book = new BookDriver();
        book.Apply(Records.Service(NotificationType.Problem));
        var id = book.Single().Id;
        book.Now += TimeSpan.FromMinutes(3);

        Assert.Equal(ApplyOutcome.Acknowledged, book.Apply(Acknowledge(id, "on it")));
        var incident = book.Single();
        Assert.Equal(IncidentStatus.Acknowledged, incident.Status);
        Assert.Equal("alice", incident.AcknowledgedBy);
        Assert.Equal("on it", incident.AcknowledgementComment);
        Assert.Equal(book.Now, incident.AcknowledgedAt);
        Assert.Equal("Acknowledged in the helpdesk by alice: on it", book.Timeline[^1].Text);
        Assert.Equal(TimelineKind.Acknowledged, book.Timeline[^1].Kind);

        // A second acknowledgement (another action) changes nothing; the same action again is a redelivery.
        var entries = book.Timeline.Count;
        Assert.Equal(ApplyOutcome.Repeated, book.Apply(Acknowledge(id, "me too")));
        Assert.Equal("alice", book.Single().AcknowledgedBy);
        Assert.Equal(entries, book.Timeline.Count);
    }

    [Fact]
    public void Without_a_comment_the_timeline_says_only_who()
    {
        var book = new BookDriver();
        book.Apply(Records.Service(NotificationType.Problem));
        book.Apply(Acknowledge(book.Single().Id));
        Assert.Equal("Acknowledged in the helpdesk by alice", book.Timeline[^1].Text);
    }

    [Fact]
    public void The_same_action_twice_is_a_redelivery_and_changes_nothing()
    {
        var book = new BookDriver();
        book.Apply(Records.Service(NotificationType.Problem));
        var action = Resolve(book.Single().Id, "fixed");
        Assert.Equal(ApplyOutcome.Resolved, book.Apply(action));
        var entries = book.Timeline.Count;

        Assert.Equal(ApplyOutcome.Redelivered, book.Apply(action));
        Assert.Equal(entries, book.Timeline.Count);

        // The store may know an id this book does not (applied before a restart): also a redelivery.
        book.Restart();
        Assert.Equal(ApplyOutcome.Redelivered, book.Apply(Acknowledge(book.Single().Id), knownApplied: true));
        Assert.Equal(IncidentStatus.Resolved, book.Single().Status);
    }

    [Fact]
    public void A_resolve_by_an_agent_resolves_and_says_who_and_what_is_still_failing()
    {
        var book = new BookDriver();
        book.Apply(Records.Service(NotificationType.Problem));
        book.Now += TimeSpan.FromMinutes(10);
        Assert.Equal(ApplyOutcome.Resolved, book.Apply(Resolve(book.Single().Id, "restarted httpd")));
        Assert.Equal(IncidentStatus.Resolved, book.Single().Status);
        Assert.Equal(book.Now, book.Single().ResolvedAt);
        Assert.Equal("Resolved by bob: restarted httpd", book.Timeline[^1].Text);

        // A host down holding its failing services: the resolve says how many of them have not recovered.
        var host = new BookDriver();
        host.Apply(Records.Host(NotificationType.Problem, host: "db01"));
        host.Apply(Records.Service(NotificationType.Problem, host: "db01", service: "MySQL", timeT: Records.T0 + 1));
        host.Apply(Records.Service(NotificationType.Problem, host: "db01", service: "SSH", timeT: Records.T0 + 2));
        host.Apply(Resolve(host.Single().Id));
        Assert.Equal("Resolved by bob (2 correlated alerts still failing)", host.Timeline[^1].Text);
    }

    [Fact]
    public void Actions_on_unknown_or_resolved_incidents_are_ignored_but_remembered()
    {
        var book = new BookDriver();
        book.Apply(Records.Service(NotificationType.Problem));
        var id = book.Single().Id;
        Assert.Equal(ApplyOutcome.Ignored, book.Apply(Acknowledge(id + 100)));

        book.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 60));
        var entries = book.Timeline.Count;
        var late = Acknowledge(id);
        Assert.Equal(ApplyOutcome.Ignored, book.Apply(late));
        Assert.Equal(ApplyOutcome.Ignored, book.Apply(Resolve(id)));
        Assert.Equal(entries, book.Timeline.Count);
        Assert.Equal(IncidentStatus.Resolved, book.Single().Status);
        Assert.Equal(ApplyOutcome.Redelivered, book.Apply(late));
    }
}
