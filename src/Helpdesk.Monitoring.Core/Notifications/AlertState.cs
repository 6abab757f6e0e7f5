namespace Helpdesk.Monitoring.Notifications;

/// <summary>A host or service state as Nagios names it ($HOSTSTATE$, $SERVICESTATE$).</summary>
public enum AlertState : byte
{
    None = 0,
    Up,
    Down,
    Unreachable,
    Ok,
    Warning,
    Critical,
    Unknown,
}
