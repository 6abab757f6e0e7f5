using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Ports;

/// <summary>An incident with its whole timeline.</summary>
public sealed record IncidentDetail(IncidentRecord Incident, IReadOnlyList<TimelineEntry> Timeline)
{
    /// <summary>Alerts correlated into the incident besides its cause.</summary>
    public IReadOnlyList<AlertMember> Members { get; init; } = [];

    /// <summary>What happened to the incident, in order, from the store's outbox: one event per timeline entry.</summary>
    public IReadOnlyList<IncidentEvent> Events { get; init; } = [];
}
