namespace Helpdesk.Monitoring.Incidents;

/// <summary>Incident event kinds as text (snake case), the same in the store, the API and what is sent out.</summary>
public static class IncidentEventKindNames
{
    public static string Of(IncidentEventKind kind) => kind switch
    {
        IncidentEventKind.Opened => "opened",
        IncidentEventKind.Updated => "updated",
        IncidentEventKind.Correlated => "correlated",
        IncidentEventKind.Merged => "merged",
        IncidentEventKind.Acknowledged => "acknowledged",
        IncidentEventKind.Escalated => "escalated",
        IncidentEventKind.Breached => "breached",
        IncidentEventKind.MaintenanceStarted => "maintenance_started",
        IncidentEventKind.MaintenanceEnded => "maintenance_ended",
        IncidentEventKind.FlappingStarted => "flapping_started",
        IncidentEventKind.FlappingStopped => "flapping_stopped",
        IncidentEventKind.Resolved => "resolved",
        IncidentEventKind.Reopened => "reopened",
        IncidentEventKind.Closed => "closed",
        IncidentEventKind.StormStarted => "storm_started",
        IncidentEventKind.StormEnded => "storm_ended",
        IncidentEventKind.Assigned => "assigned",
        IncidentEventKind.CustomerNote => "customer_note",
        IncidentEventKind.CustomerUpdate => "customer_update",
        IncidentEventKind.SlaCorrected => "sla_corrected",
        _ => "noted",
    };

    public static IncidentEventKind Parse(string text) =>
        Enum.GetValues<IncidentEventKind>().FirstOrDefault(k => Of(k) == text) is var kind && kind != 0
            ? kind
            : throw new FormatException($"'{text}' is not an incident event kind");

    /// <summary>The event a timeline entry of this kind is, when the decision did not say more.</summary>
    public static IncidentEventKind Of(TimelineKind kind) => kind switch
    {
        TimelineKind.Opened => IncidentEventKind.Opened,
        TimelineKind.StateChanged => IncidentEventKind.Updated,
        TimelineKind.Acknowledged => IncidentEventKind.Acknowledged,
        TimelineKind.Resolved => IncidentEventKind.Resolved,
        TimelineKind.Reopened => IncidentEventKind.Reopened,
        TimelineKind.Closed => IncidentEventKind.Closed,
        TimelineKind.Correlated => IncidentEventKind.Correlated,
        TimelineKind.Merged => IncidentEventKind.Merged,
        TimelineKind.Escalated => IncidentEventKind.Escalated,
        TimelineKind.Breached => IncidentEventKind.Breached,
        TimelineKind.StormStarted => IncidentEventKind.StormStarted,
        TimelineKind.StormEnded => IncidentEventKind.StormEnded,
        TimelineKind.Assigned => IncidentEventKind.Assigned,
        TimelineKind.PriorityChanged => IncidentEventKind.Updated,
        TimelineKind.CustomerNote => IncidentEventKind.CustomerNote,
        TimelineKind.CustomerUpdate => IncidentEventKind.CustomerUpdate,
        TimelineKind.SlaCorrected => IncidentEventKind.SlaCorrected,
        _ => IncidentEventKind.Noted,
    };
}
