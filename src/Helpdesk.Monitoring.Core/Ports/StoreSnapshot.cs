using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Ports;

/// <summary>
/// What the decider is rebuilt from: live incidents, their correlated alerts, the objects in scheduled downtime, the
/// recoveries waiting for their problem, the highest id, the event-id watermark.
/// </summary>
public sealed record StoreSnapshot(IReadOnlyList<IncidentRecord> Live, long LastIncidentId, long MaxEventUnixMs)
{
    public IReadOnlyList<AlertMember> Members { get; init; } = [];

    public IReadOnlyList<ScheduledDowntime> Downtimes { get; init; } = [];

    public IReadOnlyList<EarlyRecovery> EarlyRecoveries { get; init; } = [];
}
