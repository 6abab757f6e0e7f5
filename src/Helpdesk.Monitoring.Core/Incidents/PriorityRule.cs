using Helpdesk.Monitoring.Policy;
namespace Helpdesk.Monitoring.Incidents;

/// <summary>Priority only rises while an incident is open: a lower P number is more urgent.</summary>
public static class PriorityRule
{
    public static Priority Raise(Priority current, Priority candidate) => candidate < current ? candidate : current;
}
