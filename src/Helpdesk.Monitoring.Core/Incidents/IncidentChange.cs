using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// The mutable columns of an existing incident after a batch: what an update writes. Identity, title, description,
/// customer, correlation and opening time never change after the insert, so they are neither kept in memory nor rewritten.
/// </summary>
public sealed record IncidentChange(
    long Id, IncidentStatus Status, Priority Priority, AlertState State, AlertState WorstState, string LastOutput, long AlertCount,
    DateTimeOffset LastSeenAt, DateTimeOffset? AcknowledgedAt, string AcknowledgedBy, string AcknowledgementComment,
    DateTimeOffset? ResolvedAt, DateTimeOffset? ClosedAt, int ReopenCount, DateTimeOffset UpdatedAt, int TimelineCount,
    bool Flapping, int FlapCount, DateTimeOffset? FlapQuietUntil, bool InMaintenance, string Tier, long? MergedInto, IncidentSla Sla)
{
    /// <summary>
    /// Alerts this batch counted on the incident: what an update adds to the stored count. Several instances may count
    /// on one incident (its members arrive on other partitions), so the store adds, never overwrites.
    /// </summary>
    public long AlertsAdded { get; init; }

    /// <summary>
    /// The status and closed time are those last written (a new state or output, an escalation): a store may leave
    /// their columns, and the indexes over them, alone. False whenever either changed, or is not known to be as written.
    /// </summary>
    public bool KeepsStatus { get; init; }

    /// <summary>The title as the incident stands now (state and scope): rewritten with every update.</summary>
    public string Title { get; init; } = "";

    public string AssignedTo { get; init; } = "";

    public string ResolutionCause { get; init; } = "";

    public string ResolutionFix { get; init; } = "";

    public IncidentRecord ApplyTo(IncidentRecord r) => r with
    {
        Status = Status,
        Priority = Priority,
        State = State,
        WorstState = WorstState,
        LastOutput = LastOutput,
        AlertCount = AlertCount,
        LastSeenAt = LastSeenAt,
        AcknowledgedAt = AcknowledgedAt,
        AcknowledgedBy = AcknowledgedBy,
        AcknowledgementComment = AcknowledgementComment,
        ResolvedAt = ResolvedAt,
        ClosedAt = ClosedAt,
        ReopenCount = ReopenCount,
        UpdatedAt = UpdatedAt,
        TimelineCount = TimelineCount,
        Flapping = Flapping,
        FlapCount = FlapCount,
        FlapQuietUntil = FlapQuietUntil,
        InMaintenance = InMaintenance,
        Tier = Tier,
        MergedInto = MergedInto,
        Sla = Sla,
        Title = Title.Length > 0 ? Title : r.Title,
        AssignedTo = AssignedTo,
        ResolutionCause = ResolutionCause,
        ResolutionFix = ResolutionFix,
    };
}

/// <summary>
/// A repeat's whole effect on an incident: its occurrence count (as this decider counts it, and the alerts this batch
/// added, which the store adds) and when it was last seen.
/// </summary>
public readonly record struct CounterChange(long Id, long AlertCount, DateTimeOffset LastSeenAt, long AlertsAdded)
{
    public IncidentRecord ApplyTo(IncidentRecord r) => r with { AlertCount = AlertCount, LastSeenAt = LastSeenAt };
}
