using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Ports;

/// <summary>An incident with its whole timeline.</summary>
public sealed record IncidentDetail(IncidentRecord Incident, IReadOnlyList<TimelineEntry> Timeline)
{
    /// <summary>Alerts correlated into the incident besides its cause.</summary>
    public IReadOnlyList<AlertMember> Members { get; init; } = [];
}
