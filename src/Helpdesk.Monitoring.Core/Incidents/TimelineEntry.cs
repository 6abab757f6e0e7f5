namespace Helpdesk.Monitoring.Incidents;

/// <summary>One change to an incident and its cause: the notification (event id) or the clock (no event id).</summary>
public sealed record TimelineEntry(long IncidentId, int Seq, DateTimeOffset At, TimelineKind Kind, Guid? EventId, string Text);
