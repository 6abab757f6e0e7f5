namespace Helpdesk.Monitoring.Incidents;

/// <summary>What a helpdesk agent does to an incident through the API.</summary>
public enum AgentActionKind : byte
{
    Acknowledge = 1,

    /// <summary>Resolve by hand: the only way an incident under the "manual" resolve policy resolves.</summary>
    Resolve,
}

/// <summary>
/// An agent's action on an incident. <see cref="Id"/> makes it idempotent like a notification's event id: the same
/// action sent twice (a retried request) changes nothing the second time.
/// </summary>
public sealed record AgentAction(Guid Id, long IncidentId, AgentActionKind Kind, string By, string Comment);
