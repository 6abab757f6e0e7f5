namespace Helpdesk.Monitoring.Incidents;

/// <summary>One incident event queued for one channel at its commit (the store's delivery queue, written with the event).</summary>
public readonly record struct Delivery(string Channel, Guid EventId, long IncidentId, int Seq, DateTimeOffset QueuedAt);
