using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Telemetry;

/// <summary>The incident counters of /metrics, counted from committed incident events: one subscriber like any other.</summary>
public sealed class IncidentEventCounters : IIncidentEventSubscriber
{
    public static IncidentEventCounters Instance { get; } = new();

    private IncidentEventCounters()
    {
    }

    public void Committed(IReadOnlyList<IncidentEvent> events) => HelpdeskMetrics.Happened(events);
}
