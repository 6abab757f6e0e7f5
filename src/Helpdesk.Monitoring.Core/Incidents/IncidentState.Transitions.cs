namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// The incident's own status changes: each sets every field that moves with it, so no decision can leave an incident
/// half-resolved or half-reopened. What a change means for the decider (counts, clocks, timeline) is the decider's.
/// </summary>
internal sealed partial class IncidentState
{
    /// <summary>Acknowledged at <paramref name="at"/> (the first acknowledgement's time is kept) by a person.</summary>
    public void Acknowledge(DateTimeOffset at, string by, string comment, DateTimeOffset now)
    {
        Status = IncidentStatus.Acknowledged;
        AcknowledgedAt ??= at;
        AcknowledgedBy = by;
        AcknowledgementComment = comment;
        UpdatedAt = now;
    }

    /// <summary>Resolved at <paramref name="at"/>: the verification hold starts.</summary>
    public void Resolve(DateTimeOffset at)
    {
        Status = IncidentStatus.Resolved;
        ResolvedAt = at;
    }

    /// <summary>Open again after a resolve: the acknowledgement no longer holds, and the problem counts once more.</summary>
    public void Reopen(DateTimeOffset now)
    {
        Status = IncidentStatus.Open;
        ResolvedAt = null;
        AcknowledgedAt = null;
        AcknowledgedBy = "";
        AcknowledgementComment = "";
        ResolutionCause = "";
        ResolutionFix = "";
        ReopenCount++;
        AlertCount++;
        UpdatedAt = now;
    }

    /// <summary>Closed when its verification hold passed.</summary>
    public void Close(DateTimeOffset now)
    {
        Status = IncidentStatus.Closed;
        ClosedAt = now;
        UpdatedAt = now;
    }

    /// <summary>Closed because another incident took its alerts.</summary>
    public void MergeInto(long into, DateTimeOffset now)
    {
        Close(now);
        MergedInto = into;
    }

    /// <summary>Moved up to <paramref name="tier"/>; the SLA counts the escalation.</summary>
    public void Escalate(string tier, DateTimeOffset at)
    {
        Tier = tier;
        Sla = Sla with { Escalations = Sla.Escalations + 1 };
        UpdatedAt = at;
    }

    /// <summary>A notification of this alert was reported at <paramref name="reported"/>: the latest such is kept.</summary>
    public void Seen(DateTimeOffset reported)
    {
        if (reported > LastSeenAt)
        {
            LastSeenAt = reported;
        }
    }
}
