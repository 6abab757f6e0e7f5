using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// Placeholder priority until impact × urgency rules exist: urgency from the worst state only
/// (DOWN/CRITICAL → P2, UNREACHABLE/UNKNOWN → P3, WARNING → P4). P1 is left for impact rules.
/// </summary>
public static class PriorityRule
{
    public static Priority FromState(AlertState worst) => NagiosNames.Severity(worst) switch
    {
        3 => Priority.P2,
        2 => Priority.P3,
        1 => Priority.P4,
        _ => Priority.P5,
    };

    /// <summary>Priority only rises while an incident is open (a lower P number is more urgent).</summary>
    public static Priority Raise(Priority current, Priority candidate) => candidate < current ? candidate : current;
}
