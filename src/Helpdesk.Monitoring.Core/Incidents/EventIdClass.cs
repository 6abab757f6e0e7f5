namespace Helpdesk.Monitoring.Incidents;

/// <summary>What the in-memory window knows about an event id.</summary>
public enum EventIdClass : byte
{
    /// <summary>Applied (or decided in this process): a redelivery.</summary>
    Seen,

    /// <summary>Certainly never applied: a time-ordered (v7) id newer than anything the window has forgotten.</summary>
    New,

    /// <summary>The window cannot tell: the store must be asked.</summary>
    Unknown,
}
