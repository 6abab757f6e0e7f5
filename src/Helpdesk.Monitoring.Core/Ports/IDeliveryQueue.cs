using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Ports;

/// <summary>
/// The store's queue of incident events to send, one row per event and channel, written in the transaction of the
/// decision (see <see cref="CommitPlan.Deliveries"/>). A sender claims what is due for a lease, sends it, and marks it
/// sent, to retry, or dead. A sender that dies mid-send leaves the claim to lapse: the event is sent again after the
/// lease, with the same id, which a receiver drops.
/// </summary>
public interface IDeliveryQueue
{
    /// <summary>
    /// Claims up to <paramref name="limit"/> of a channel's deliveries due by <paramref name="now"/> until
    /// <paramref name="leaseUntil"/>: oldest first, and of each incident only the earliest not yet sent, so that an
    /// incident's events reach a receiver in order. When that one is foldable, the foldable events right behind it
    /// (up to the next event that is not) come with it as one delivery (see <see cref="PendingDelivery.Folded"/>).
    /// </summary>
    ValueTask<IReadOnlyList<PendingDelivery>> ClaimDueAsync(string channel, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// When the channel's next claimable delivery comes due (a retry, or a lapsed claim; an event behind its incident's
    /// first waiting one does not count); null when none waits.
    /// </summary>
    ValueTask<DateTimeOffset?> NextDueAsync(string channel, CancellationToken cancellationToken);

    // Each mark takes a delivery's event and the events folded into it (PendingDelivery.Ids): they share its fate.

    ValueTask MarkSentAsync(string channel, IReadOnlyList<Guid> eventIds, DateTimeOffset at, CancellationToken cancellationToken);

    ValueTask MarkRetryAsync(string channel, IReadOnlyList<Guid> eventIds, DateTimeOffset nextAt, string error, CancellationToken cancellationToken);

    /// <summary>Gives up on a delivery: kept, with the reason, for an operator to see and re-queue (<see cref="RequeueDeadAsync"/>).</summary>
    ValueTask MarkDeadAsync(string channel, IReadOnlyList<Guid> eventIds, DateTimeOffset at, string error, CancellationToken cancellationToken);

    /// <summary>
    /// Gives a channel's dead deliveries a new set of attempts, due at <paramref name="now"/>: those of
    /// <paramref name="eventIds"/>, or when none is named the <paramref name="limit"/> oldest. Only deliveries dead at
    /// that moment change, so a call repeated after a timeout re-queues nothing twice. <paramref name="note"/> (who
    /// re-queued them) is put before the last error, which the next attempt replaces. Returns how many were re-queued.
    /// </summary>
    ValueTask<int> RequeueDeadAsync(string channel, IReadOnlyList<Guid> eventIds, int limit, DateTimeOffset now, string note, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes up to <paramref name="maxRows"/> deliveries that were sent or given up before
    /// <paramref name="doneBefore"/>, so the outbox stays bounded; a waiting delivery is never touched. Returns how many.
    /// </summary>
    ValueTask<int> PruneDoneAsync(DateTimeOffset doneBefore, int maxRows, CancellationToken cancellationToken);

    /// <summary>Deliveries waiting and given up, per channel: for /metrics and the API.</summary>
    ValueTask<IReadOnlyList<ChannelBacklog>> BacklogAsync(CancellationToken cancellationToken);

    /// <summary>The newest deliveries in a state (pending, sent, dead), of one channel or all: what the API shows an operator.</summary>
    ValueTask<IReadOnlyList<DeliveryState>> ListAsync(string state, string? channel, int limit, CancellationToken cancellationToken);
}

/// <summary>
/// A claimed delivery: the event, what the message says about its incident, how many times it was claimed (this one
/// included), and when it was queued (its commit).
/// </summary>
public sealed record PendingDelivery(string Channel, IncidentEvent Event, OutboundIncident Incident, int Attempts, DateTimeOffset QueuedAt)
{
    /// <summary>The incident's SLA deadlines as the store holds them when the delivery is claimed (they move: escalations, pauses).</summary>
    public IncidentSla Sla { get; init; } = IncidentSla.None;

    /// <summary>
    /// Earlier foldable events of the same incident claimed with this one (oldest first): this message stands for them
    /// too, and they are marked with it. <see cref="Event"/> is then the latest of the run.
    /// </summary>
    public IReadOnlyList<Guid> Folded { get; init; } = [];

    /// <summary>The delivery's event and those folded into it: what a mark marks.</summary>
    public IReadOnlyList<Guid> Ids => [.. Folded, Event.Id];
}

/// <summary>What never changes after an incident opened, for a message about it; the event has the rest.</summary>
public sealed record OutboundIncident(long Id, string Title, string Team, string Customer, string Host, string Service)
{
    public string Number => IncidentNumber.Format(Id);

    /// <summary>
    /// The incident's description (the object's runbook first, the check's details) for the message that opens it,
    /// which is where the person paged reads what to do; for the message that reopens it, the runbook's lines only (the
    /// rest was true when it opened: <see cref="Incidents.IncidentText.RunbookLines"/>); empty for every other event.
    /// </summary>
    public string Description { get; init; } = "";

    /// <summary>What of the stored description a message of <paramref name="kind"/> carries (see <see cref="Description"/>).</summary>
    public static string DescriptionFor(IncidentEventKind kind, string description) => kind switch
    {
        IncidentEventKind.Opened => description,
        IncidentEventKind.Reopened => IncidentText.RunbookLines(description),
        _ => "",
    };
}

public sealed record ChannelBacklog(string Channel, long Pending, long Dead);

/// <summary>Where one delivery stands, with the receiver's last answer when it failed.</summary>
public sealed record DeliveryState(
    string Channel, Guid EventId, long IncidentId, IncidentEventKind Kind, string State, int Attempts, DateTimeOffset QueuedAt, DateTimeOffset NextAt,
    DateTimeOffset? DoneAt, string LastError)
{
    public string Number => IncidentNumber.Format(IncidentId);
}
