namespace Helpdesk.Monitoring.Incidents;

public sealed partial class IncidentDecider
{
    /// <summary>Applies an agent's action; <see cref="ApplyOutcome.Ignored"/> when the incident is not open (or unknown).</summary>
    /// <param name="knownApplied">The store says this action id was applied before.</param>
    public ApplyOutcome Apply(AgentAction action, DateTimeOffset now, bool knownApplied, CommitPlan plan)
    {
        if (knownApplied || _seen.Classify(action.Id) == EventIdClass.Seen)
        {
            return ApplyOutcome.Redelivered;
        }

        _seen.Remember(action.Id);
        var decision = _index.TryGet(action.IncidentId, out var incident) && incident.IsActive
            ? action.Kind switch
            {
                AgentActionKind.Resolve => ResolveByAgent(incident, action, now, plan),
                AgentActionKind.Note => NoteByService(incident, action, now, plan),
                _ => AcknowledgeByAgent(incident, action, now, plan),
            }
            : new Decision(ApplyOutcome.Ignored, action.IncidentId);
        plan.Applied(new AppliedEvent(action.Id, decision.IncidentId, decision.Outcome, now));
        return decision.Outcome;
    }

    private Decision ResolveByAgent(IncidentState incident, AgentAction action, DateTimeOffset now, CommitPlan plan)
    {
        incident.UpdatedAt = now;
        var waiting = Waiting(incident);
        MarkResolved(incident, now, action.Id,
            $"Resolved by {action.By}{(action.Comment.Length > 0 ? ": " + action.Comment : "")}{(waiting > 0 ? $" ({waiting} correlated alerts still failing)" : "")}", plan);
        return new Decision(ApplyOutcome.Resolved, incident.Id);
    }

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
}
