namespace Helpdesk.Monitoring.Incidents;

/// <summary>What one notification did to the incident decider.</summary>
public enum ApplyOutcome : byte
{
    /// <summary>The same event id was applied before: nothing changes.</summary>
    Redelivered = 0,
    Opened,
    Updated,

    /// <summary>Another contact's copy or a re-notification: counters only.</summary>
    Repeated,
    Acknowledged,
    Resolved,
    Reopened,
    Noted,

    /// <summary>Nothing to act on (for example a RECOVERY with no open incident); recorded so a redelivery stays a no-op.</summary>
    Ignored,

    /// <summary>A new problem joined an existing incident by a correlation rule.</summary>
    Correlated,
}
