namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// An object in scheduled downtime (a host's covers its services), as the store keeps it so that a restart remembers
/// it. In a <see cref="CommitPlan"/>, <see cref="Since"/> is null when the downtime ended.
/// </summary>
public readonly record struct ScheduledDowntime(string Instance, string Host, string Service, DateTimeOffset? Since);
