using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>
/// What people do to an incident besides acknowledging it: take or give it, write notes, set its priority, resolve
/// it with cause and fix, reopen it, and (the customer) confirm the fix. Each survives a restart from the store.
/// </summary>
public sealed class WorkingIncidentTests
{
    private static AgentAction Act(long incident, AgentActionKind kind, string by = "alice", string comment = "") =>
        new(Guid.CreateVersion7(), incident, kind, by, comment);

    [Fact]
    public void Taking_giving_and_noting_are_recorded_under_who_did_it()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem));
        var id = d.Single().Id;

        Assert.Equal(ApplyOutcome.Updated, d.Apply(Act(id, AgentActionKind.Assign) with { Assignee = "alice" }));
        Assert.Equal("Taken by alice", d.Timeline[^1].Text);
        Assert.Equal(ApplyOutcome.Repeated, d.Apply(Act(id, AgentActionKind.Assign) with { Assignee = "alice" }));
        Assert.Equal(ApplyOutcome.Updated, d.Apply(Act(id, AgentActionKind.Assign, "carol", "network side") with { Assignee = "bob" }));
        Assert.Equal(("bob", "Assigned to bob by carol: network side", TimelineKind.Assigned), (d.Single().AssignedTo, d.Timeline[^1].Text, d.Timeline[^1].Kind));

        Assert.Equal(ApplyOutcome.Noted, d.Apply(Act(id, AgentActionKind.Comment, "bob", "checked the switch")));
        Assert.Equal((TimelineKind.Note, "Note, by bob: checked the switch"), (d.Timeline[^1].Kind, d.Timeline[^1].Text));
        Assert.Equal(ApplyOutcome.Noted, d.Apply(Act(id, AgentActionKind.Comment, "bob", "a technician is on the way") with { ForCustomer = true }));
        Assert.Equal((TimelineKind.CustomerNote, "To the customer, by bob: a technician is on the way"), (d.Timeline[^1].Kind, d.Timeline[^1].Text));

        d.Restart();
        Assert.Equal(ApplyOutcome.Repeated, d.Apply(Act(id, AgentActionKind.Assign, "bob") with { Assignee = "bob" }));
    }

    [Fact]
    public void A_priority_set_by_a_person_moves_the_sla_targets_both_ways_but_never_undoes_a_breach()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem, timeT: Records.T0));
        var opened = d.Single();
        var id = opened.Id;
        Assert.Equal(Priority.P2, opened.Priority);
        var targets = d.Policy.Rules.Sla.Targets;
        var start = opened.Sla.StartedAt!.Value;

        Assert.Equal(ApplyOutcome.Updated, d.Apply(Act(id, AgentActionKind.Prioritize, "carol", "the whole shop is down") with { Priority = Priority.P1 }));
        Assert.Equal(start + targets[Priority.P1].Response, d.Single().Sla.ResponseDueAt);
        Assert.Equal("Priority P2 → P1 by carol: the whole shop is down", d.Timeline[^1].Text);

        Assert.Equal(ApplyOutcome.Updated, d.Apply(Act(id, AgentActionKind.Prioritize, "carol", "one user only") with { Priority = Priority.P4 }));
        Assert.Equal(start + targets[Priority.P4].Response, d.Single().Sla.ResponseDueAt);
        Assert.Equal(ApplyOutcome.Repeated, d.Apply(Act(id, AgentActionKind.Prioritize) with { Priority = Priority.P4 }));

        // Past the P1 response target, raised again: the breach is recorded and stays when the priority is lowered.
        d.Apply(Act(id, AgentActionKind.Prioritize, "carol", "again") with { Priority = Priority.P1 });
        d.Advance(targets[Priority.P1].Response + TimeSpan.FromMinutes(1));
        Assert.True(d.Single().Sla.ResponseBreached);
        var breachedDue = d.Single().Sla.ResponseDueAt;
        d.Apply(Act(id, AgentActionKind.Prioritize, "carol", "calmer") with { Priority = Priority.P5 });
        Assert.True(d.Single().Sla.ResponseBreached);
        Assert.Equal(breachedDue, d.Single().Sla.ResponseDueAt);
    }

    [Theory]
    [InlineData("The disk was full.", "Rotated the logs!", "Resolved by bob. Cause: The disk was full. Fix: Rotated the logs!")]
    [InlineData("", "rotated the logs", "Resolved by bob. Fix: rotated the logs.")]
    [InlineData("disk full", "", "Resolved by bob. Cause: disk full.")]
    public void A_resolution_reads_as_sentences_however_the_person_ended_theirs(string cause, string fix, string timeline)
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem));

        d.Apply(Act(d.Single().Id, AgentActionKind.Resolve, "bob") with { Cause = cause, Fix = fix });

        Assert.Equal(timeline, d.Timeline[^1].Text);
    }

    [Fact]
    public void Resolved_with_cause_and_fix_then_reopened_by_a_person_or_closed_when_the_customer_confirms()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem));
        var id = d.Single().Id;
        Assert.Equal(ApplyOutcome.Ignored, d.Apply(Act(id, AgentActionKind.Reopen)));

        Assert.Equal(ApplyOutcome.Resolved, d.Apply(Act(id, AgentActionKind.Resolve, "bob") with { Cause = "disk full", Fix = "rotated logs" }));
        Assert.Equal(("disk full", "rotated logs"), (d.Single().ResolutionCause, d.Single().ResolutionFix));
        Assert.Equal("Resolved by bob. Cause: disk full. Fix: rotated logs.", d.Timeline[^1].Text);
        Assert.Equal(ApplyOutcome.Ignored, d.Apply(Act(id, AgentActionKind.Assign) with { Assignee = "alice" }));

        d.Restart();
        Assert.Equal(ApplyOutcome.Reopened, d.Apply(Act(id, AgentActionKind.Reopen, "bob", "still failing")));
        var reopened = d.Single();
        Assert.Equal((IncidentStatus.Open, "", 1), (reopened.Status, reopened.ResolutionCause, reopened.ReopenCount));
        Assert.Equal(d.Now, reopened.Sla.StartedAt);
        Assert.Equal("Reopened by bob: still failing", d.Timeline[^1].Text);

        // Resolved again; the customer confirms: closed at once, not after the verification hold.
        d.Apply(Act(id, AgentActionKind.Resolve, "bob") with { Cause = "a loose cable", Fix = "replaced it" });
        Assert.Equal(ApplyOutcome.Updated, d.Apply(Act(id, AgentActionKind.Confirm, "customer ops@acme.example")));
        Assert.Equal(IncidentStatus.Closed, d.Single().Status);
        Assert.Equal("Closed: customer ops@acme.example confirmed the fix", d.Timeline[^1].Text);
        Assert.Equal(ApplyOutcome.Ignored, d.Apply(Act(id, AgentActionKind.Reopen)));
    }
}
