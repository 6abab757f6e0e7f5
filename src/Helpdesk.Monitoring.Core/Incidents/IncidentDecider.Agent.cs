using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Incidents;

public sealed partial class IncidentDecider
{
    /// <summary>
    /// Applies a person's action; <see cref="ApplyOutcome.Ignored"/> when the incident is unknown or not in a status
    /// the action applies to (<see cref="AgentAction.AppliesTo"/>).
    /// </summary>
    /// <param name="knownApplied">The store says this action id was applied before.</param>
    public ApplyOutcome Apply(AgentAction action, DateTimeOffset now, bool knownApplied, CommitPlan plan)
    {
        if (knownApplied || !_seen.Remember(action.Id))
        {
            return ApplyOutcome.Redelivered;
        }

        _now = now;
        var decision = _index.TryGet(action.IncidentId, out var incident) && action.AppliesTo(incident.Status)
            ? action.Kind switch
            {
                AgentActionKind.Resolve => ResolveByAgent(incident, action, now, plan),
                AgentActionKind.Note => NoteByService(incident, action, now, plan),
                AgentActionKind.Assign => AssignByAgent(incident, action, now, plan),
                AgentActionKind.Comment => CommentByAgent(incident, action, now, plan),
                AgentActionKind.Prioritize => PrioritizeByAgent(incident, action, now, plan),
                AgentActionKind.Reopen => ReopenByAgent(incident, action, now, plan),
                AgentActionKind.Confirm => ConfirmByCustomer(incident, action, now, plan),
                _ => AcknowledgeByAgent(incident, action, now, plan),
            }
            : new Decision(ApplyOutcome.Ignored, action.IncidentId);
        plan.Applied(new AppliedEvent(action.Id, decision.IncidentId, decision.Outcome, now));
        return decision.Outcome;
    }

    private Decision ResolveByAgent(IncidentState incident, AgentAction action, DateTimeOffset now, CommitPlan plan)
    {
        incident.UpdatedAt = now;
        incident.ResolutionCause = action.Cause;
        incident.ResolutionFix = action.Fix;
        var waiting = Waiting(incident);
        var text = action.Cause.Length + action.Fix.Length > 0
            ? $"Resolved by {action.By}.{Told("Cause", action.Cause)}{Told("Fix", action.Fix)}"
            : $"Resolved by {action.By}{(action.Comment.Length > 0 ? ": " + action.Comment : "")}";
        MarkResolved(incident, now, action.Id, $"{text}{(waiting > 0 ? $" ({waiting} correlated alerts still failing)" : "")}", plan);
        return new Decision(ApplyOutcome.Resolved, incident.Id);
    }

    /// <summary>" Cause: the disk was full." — a sentence of its own, whether or not the person ended it with a stop.</summary>
    private static string Told(string label, string text) =>
        text.Length == 0 ? "" : $" {label}: {text}{(text[^1] is '.' or '!' or '?' ? "" : ".")}";

    private static Decision NoteByService(IncidentState incident, AgentAction action, DateTimeOffset now, CommitPlan plan)
    {
        incident.UpdatedAt = now;
        plan.Append(incident, now, TimelineKind.Note, action.Id, action.Comment);
        return new Decision(ApplyOutcome.Noted, incident.Id);
    }

    private static Decision AcknowledgeByAgent(IncidentState incident, AgentAction action, DateTimeOffset now, CommitPlan plan)
    {
        if (incident.Status == IncidentStatus.Acknowledged)
        {
            return new Decision(ApplyOutcome.Repeated, incident.Id);
        }

        incident.Acknowledge(now, action.By, action.Comment, now);
        plan.Append(incident, now, TimelineKind.Acknowledged, IncidentEventKind.Acknowledged, action.Id,
            $"Acknowledged in the helpdesk by {action.By}{(action.Comment.Length > 0 ? ": " + action.Comment : "")}", byAgent: true);
        return new Decision(ApplyOutcome.Acknowledged, incident.Id);
    }

    private static Decision AssignByAgent(IncidentState incident, AgentAction action, DateTimeOffset now, CommitPlan plan)
    {
        if (incident.AssignedTo == action.Assignee)
        {
            return new Decision(ApplyOutcome.Repeated, incident.Id);
        }

        incident.AssignedTo = action.Assignee;
        incident.UpdatedAt = now;
        var text = action.Assignee == action.By ? $"Taken by {action.By}" : $"Assigned to {action.Assignee} by {action.By}";
        plan.Append(incident, now, TimelineKind.Assigned, IncidentEventKind.Assigned, action.Id,
            $"{text}{(action.Comment.Length > 0 ? ": " + action.Comment : "")}", byAgent: true);
        return new Decision(ApplyOutcome.Updated, incident.Id);
    }

    private static Decision CommentByAgent(IncidentState incident, AgentAction action, DateTimeOffset now, CommitPlan plan)
    {
        incident.UpdatedAt = now;
        plan.Append(incident, now, action.ForCustomer ? TimelineKind.CustomerNote : TimelineKind.Note,
            action.ForCustomer ? IncidentEventKind.CustomerNote : IncidentEventKind.Noted, action.Id,
            $"{(action.ForCustomer ? "To the customer" : "Note")}, by {action.By}: {action.Comment}", byAgent: true);
        return new Decision(ApplyOutcome.Noted, incident.Id);
    }

    private Decision PrioritizeByAgent(IncidentState incident, AgentAction action, DateTimeOffset now, CommitPlan plan)
    {
        if (incident.Priority == action.Priority)
        {
            return new Decision(ApplyOutcome.Repeated, incident.Id);
        }

        var before = incident.Priority;
        incident.Priority = action.Priority;
        incident.UpdatedAt = now;
        _sla.Retarget(incident);
        plan.Append(incident, now, TimelineKind.PriorityChanged, IncidentEventKind.Updated, action.Id,
            $"Priority {IncidentNames.Of(before)} → {IncidentNames.Of(action.Priority)} by {action.By}: {action.Comment}", byAgent: true);
        return new Decision(ApplyOutcome.Updated, incident.Id);
    }

    private Decision ReopenByAgent(IncidentState incident, AgentAction action, DateTimeOffset now, CommitPlan plan)
    {
        incident.Reopen(now);
        _index.Activated();
        _sla.Restart(incident, now);
        plan.Append(incident, now, TimelineKind.Reopened, IncidentEventKind.Reopened, action.Id,
            $"Reopened by {action.By}{(action.Comment.Length > 0 ? ": " + action.Comment : "")}", byAgent: true);
        return new Decision(ApplyOutcome.Reopened, incident.Id);
    }

    private Decision ConfirmByCustomer(IncidentState incident, AgentAction action, DateTimeOffset now, CommitPlan plan)
    {
        incident.Close(now);
        plan.Append(incident, now, TimelineKind.Closed, IncidentEventKind.Closed, action.Id,
            $"Closed: {action.By} confirmed the fix{(action.Comment.Length > 0 ? ": " + action.Comment : "")}", byAgent: true);
        Forget(incident);
        return new Decision(ApplyOutcome.Updated, incident.Id);
    }
}
