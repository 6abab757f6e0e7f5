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
    /// incident's events reach a receiver in order.
    /// </summary>
    ValueTask<IReadOnlyList<PendingDelivery>> ClaimDueAsync(string channel, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// When the channel's next claimable delivery comes due (a retry, or a lapsed claim; an event behind its incident's
    /// first waiting one does not count); null when none waits.
    /// </summary>
    ValueTask<DateTimeOffset?> NextDueAsync(string channel, CancellationToken cancellationToken);

    ValueTask MarkSentAsync(string channel, Guid eventId, DateTimeOffset at, CancellationToken cancellationToken);

    ValueTask MarkRetryAsync(string channel, Guid eventId, DateTimeOffset nextAt, string error, CancellationToken cancellationToken);

    /// <summary>Gives up on a delivery: kept, with the reason, for an operator to see (and re-queue by hand).</summary>
    ValueTask MarkDeadAsync(string channel, Guid eventId, DateTimeOffset at, string error, CancellationToken cancellationToken);

    /// <summary>Deliveries waiting and given up, per channel: for /metrics and the API.</summary>
    ValueTask<IReadOnlyList<ChannelBacklog>> BacklogAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A claimed delivery: the event, what the message says about its incident, how many times it was claimed (this one
/// included), and when it was queued (its commit).
/// </summary>
public sealed record PendingDelivery(string Channel, IncidentEvent Event, OutboundIncident Incident, int Attempts, DateTimeOffset QueuedAt)
{
    /// <summary>The incident's SLA deadlines as the store holds them when the delivery is claimed (they move: escalations, pauses).</summary>
    public IncidentSla Sla { get; init; } = IncidentSla.None;
}

/// <summary>What never changes after an incident opened, for a message about it; the event has the rest.</summary>
public sealed record OutboundIncident(long Id, string Title, string Team, string Customer, string Host, string Service)
{
    public string Number => IncidentNumber.Format(Id);
}

public sealed record ChannelBacklog(string Channel, long Pending, long Dead);
