namespace Helpdesk.Monitoring.Incidents;

/// <summary>What a timeline entry records.</summary>
public enum TimelineKind : byte
{
    Opened = 1,
    StateChanged,
    Acknowledged,
    Resolved,
    Reopened,
    Closed,
    Note,
}
