namespace Helpdesk.Monitoring.Incidents;

/// <summary>The record that a notification was applied: the store keeps it so a redelivery changes nothing.</summary>
public readonly record struct AppliedEvent(Guid EventId, long IncidentId, ApplyOutcome Outcome, DateTimeOffset At);
