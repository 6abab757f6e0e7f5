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

    /// <summary>An alert joined the incident by a correlation rule (the text names the rule and key).</summary>
    Correlated,

    /// <summary>This incident was merged into another, or another into this one.</summary>
    Merged,
    Escalated,
    Breached,
    StormStarted,
    StormEnded,

    /// <summary>A person took the incident or gave it to someone.</summary>
    Assigned,

    /// <summary>A person set the priority, with a reason.</summary>
    PriorityChanged,

    /// <summary>A note written for the customer: their status updates carry it.</summary>
    CustomerNote,

    /// <summary>A status update the customer is owed came due (their rules give the cadence per priority).</summary>
    CustomerUpdate,

    /// <summary>A late report showed a target met after all: a breach recorded on arrival is taken back.</summary>
    SlaCorrected,
}
