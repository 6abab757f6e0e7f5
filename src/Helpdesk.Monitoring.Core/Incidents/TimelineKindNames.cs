namespace Helpdesk.Monitoring.Incidents;

/// <summary>Timeline kinds as text (snake case), the same in the store and the API.</summary>
public static class TimelineKindNames
{
    public static string Of(TimelineKind kind) => kind switch
    {
        TimelineKind.Opened => "opened",
        TimelineKind.StateChanged => "state_changed",
        TimelineKind.Acknowledged => "acknowledged",
        TimelineKind.Resolved => "resolved",
        TimelineKind.Reopened => "reopened",
        TimelineKind.Closed => "closed",
        TimelineKind.Correlated => "correlated",
        TimelineKind.Merged => "merged",
        TimelineKind.Escalated => "escalated",
        TimelineKind.Breached => "breached",
        TimelineKind.StormStarted => "storm_started",
        TimelineKind.StormEnded => "storm_ended",
        TimelineKind.Assigned => "assigned",
        TimelineKind.PriorityChanged => "priority_changed",
        TimelineKind.CustomerNote => "customer_note",
        TimelineKind.CustomerUpdate => "customer_update",
        TimelineKind.SlaCorrected => "sla_corrected",
        _ => "note",
    };

    public static TimelineKind Parse(string text) => text switch
    {
        "opened" => TimelineKind.Opened,
        "state_changed" => TimelineKind.StateChanged,
        "acknowledged" => TimelineKind.Acknowledged,
        "resolved" => TimelineKind.Resolved,
        "reopened" => TimelineKind.Reopened,
        "closed" => TimelineKind.Closed,
        "correlated" => TimelineKind.Correlated,
        "merged" => TimelineKind.Merged,
        "escalated" => TimelineKind.Escalated,
        "breached" => TimelineKind.Breached,
        "storm_started" => TimelineKind.StormStarted,
        "storm_ended" => TimelineKind.StormEnded,
        "assigned" => TimelineKind.Assigned,
        "priority_changed" => TimelineKind.PriorityChanged,
        "customer_note" => TimelineKind.CustomerNote,
        "customer_update" => TimelineKind.CustomerUpdate,
        "sla_corrected" => TimelineKind.SlaCorrected,
        _ => TimelineKind.Note,
    };
}
