using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Ports;

/// <summary>The store's view at start: live incidents, the last incident id, and the newest event-id time applied.</summary>
public sealed record StoreSnapshot(IReadOnlyList<IncidentRecord> Live, long LastIncidentId, long MaxEventUnixMs);
