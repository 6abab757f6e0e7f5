using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Telemetry;

/// <summary>The incident counters of /metrics, counted from committed incident events: one subscriber like any other.</summary>
public sealed class IncidentEventCounters(HelpdeskMetrics metrics) : IIncidentEventSubscriber
{
    public void Committed(IReadOnlyList<IncidentEvent> events) => metrics.Happened(events);
}
