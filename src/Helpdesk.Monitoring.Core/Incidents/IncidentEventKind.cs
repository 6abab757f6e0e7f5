namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// What happened to an incident, in the words on-call staff and other systems are told it. Finer than
/// <see cref="TimelineKind"/> where people act differently: a timeline note may be maintenance starting, which
/// silences paging, or flapping, which holds the incident open.
/// </summary>
public enum IncidentEventKind : byte
{
    Opened = 1,

    /// <summary>The incident's state (and with it, perhaps its priority) changed, or it took in another incident's alerts.</summary>
    Updated,

    /// <summary>An alert joined the incident by a correlation rule.</summary>
    Correlated,

    /// <summary>This incident was merged into the incident of its cause (and closed).</summary>
    Merged,
    Acknowledged,
    Escalated,
    Breached,
    MaintenanceStarted,
    MaintenanceEnded,
    FlappingStarted,
    FlappingStopped,
    Resolved,
    Reopened,
    Closed,
    StormStarted,
    StormEnded,

    /// <summary>Anything else worth a line on the timeline: a custom note, a recovery that did not resolve yet.</summary>
    Noted,

    /// <summary>A person took the incident, or gave it to someone.</summary>
    Assigned,

    /// <summary>A person wrote a note for the customer: the customer's status updates carry it.</summary>
    CustomerNote,

    /// <summary>A status update to the customer came due.</summary>
    CustomerUpdate,

    /// <summary>A breach recorded on arrival was taken back: what it waited for had happened before the deadline, by Nagios' time.</summary>
    SlaCorrected,
}
