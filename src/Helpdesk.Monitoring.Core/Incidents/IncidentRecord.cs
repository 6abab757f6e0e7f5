using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>An incident as stored and shown: an immutable snapshot taken when a batch of changes is sealed.</summary>
public sealed record IncidentRecord
{
    public required long Id { get; init; }
    public string Number => IncidentNumber.Format(Id);
    public required string Instance { get; init; }
    public required string Host { get; init; }
    public string Service { get; init; } = "";
    public string Customer { get; init; } = "";
    public required string Title { get; init; }
    public string Description { get; init; } = "";
    public required IncidentStatus Status { get; init; }
    public required Priority Priority { get; init; }

    /// <summary>Network, server, application ...: from the rules file's categories.</summary>
    public string Category { get; init; } = "";

    /// <summary>The team the incident is routed to, and the tier (L1, L2, L3) it starts at.</summary>
    public string Team { get; init; } = "";

    public string Tier { get; init; } = "";
    public required AlertState State { get; init; }
    public required AlertState WorstState { get; init; }
    public string LastOutput { get; init; } = "";
    public string ProblemId { get; init; } = "";
    public required long AlertCount { get; init; }
    public required DateTimeOffset OpenedAt { get; init; }
    public required DateTimeOffset LastSeenAt { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }
    public string AcknowledgedBy { get; init; } = "";
    public string AcknowledgementComment { get; init; } = "";
    public DateTimeOffset? ResolvedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public int ReopenCount { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Nagios says the object is flapping: the incident is held open, whatever the latest state.</summary>
    public bool Flapping { get; init; }

    /// <summary>How many times flapping started on this incident.</summary>
    public int FlapCount { get; init; }

    /// <summary>After flapping stopped: when the quiet period ends and the current state applies.</summary>
    public DateTimeOffset? FlapQuietUntil { get; init; }

    /// <summary>The object is in scheduled downtime: no paging or escalation; a recovery resolves "in maintenance".</summary>
    public bool InMaintenance { get; init; }

    /// <summary>How many timeline entries the incident has: the next entry's sequence number is this plus one.</summary>
    public int TimelineCount { get; init; }

    /// <summary>The correlation that made this a multi-alert incident ("group:NAME", "storm"), or empty.</summary>
    public string CorrelationRule { get; init; } = "";

    /// <summary>The group key or storm start the correlation rule used.</summary>
    public string CorrelationKey { get; init; } = "";

    /// <summary>Closed because it was merged into this incident (its host or parent went down).</summary>
    public long? MergedInto { get; init; }

    public IncidentSla Sla { get; init; } = IncidentSla.None;

    /// <summary>The user name of the person working on it; empty until someone takes it or is given it.</summary>
    public string AssignedTo { get; init; } = "";

    /// <summary>What caused it and what fixed it, as the person who resolved it wrote; empty unless a person resolved it.</summary>
    public string ResolutionCause { get; init; } = "";

    public string ResolutionFix { get; init; } = "";

    /// <summary>The mutable columns, as an update writes them.</summary>
    public IncidentChange ToChange() => new(
        Id, Status, Priority, State, WorstState, LastOutput, AlertCount, LastSeenAt, AcknowledgedAt, AcknowledgedBy,
        AcknowledgementComment, ResolvedAt, ClosedAt, ReopenCount, UpdatedAt, TimelineCount, Flapping, FlapCount, FlapQuietUntil, InMaintenance,
        Tier, MergedInto, Sla)
    {
        Title = Title,
        AssignedTo = AssignedTo,
        ResolutionCause = ResolutionCause,
        ResolutionFix = ResolutionFix,
    };
}
