namespace Helpdesk.Monitoring.Incidents;

/// <summary>Where an incident is in its life: open → acknowledged → resolved → closed (after the verification hold).</summary>
public enum IncidentStatus : byte
{
    Open = 1,
    Acknowledged,
    Resolved,
    Closed,
}
