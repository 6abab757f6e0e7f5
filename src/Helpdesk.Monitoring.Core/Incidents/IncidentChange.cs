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
    };
}

/// <summary>A repeat's whole effect on an incident: its occurrence count and when it was last seen.</summary>
public readonly record struct CounterChange(long Id, long AlertCount, DateTimeOffset LastSeenAt)
{
    public IncidentRecord ApplyTo(IncidentRecord r) => r with { AlertCount = AlertCount, LastSeenAt = LastSeenAt };
}
