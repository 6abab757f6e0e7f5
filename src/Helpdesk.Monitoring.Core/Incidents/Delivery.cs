namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// One incident event queued for one channel at its commit (the store's delivery queue, written with the event).
/// A <see cref="Foldable"/> event (an update, a correlated alert, a note) is due only at <see cref="DueAt"/>, a short
/// while after its commit, and the updates of one incident that wait together go out as one message.
/// </summary>
public readonly record struct Delivery(string Channel, Guid EventId, long IncidentId, int Seq, DateTimeOffset QueuedAt, DateTimeOffset DueAt, bool Foldable)
{
    /// <summary>
    /// The events several of which make one message when they come together (a storm's hundreds of correlated alerts
    /// are one "N alerts joined" message, not hundreds): they change what an incident holds, not what someone must do.
    /// </summary>
    public static bool IsFoldable(IncidentEventKind kind) => kind is IncidentEventKind.Updated or IncidentEventKind.Correlated or IncidentEventKind.Noted or IncidentEventKind.CustomerNote;
}
