namespace Helpdesk.Monitoring.Ports;

/// <summary>
/// Where closed incidents go when the retention policy says so: out of the live tables (so the queue, the list and a
/// commit never slow down with age) into one row per incident, still read by number and by customer or host.
/// Every method is idempotent: instances sharing a store may run it at the same time, and a crash between two calls
/// loses and doubles nothing.
/// </summary>
public interface IIncidentArchive
{
    /// <summary>
    /// Up to <paramref name="max"/> ids of incidents closed before <paramref name="closedBefore"/>, oldest closed first,
    /// leaving out any with a delivery still waiting (the sender reads the incident's event).
    /// </summary>
    ValueTask<IReadOnlyList<long>> ClosedBeforeAsync(DateTimeOffset closedBefore, int max, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction per call: writes each archived incident (unless already there) and deletes its live rows
    /// (incident, timeline, members, outbox events; deliveries are left to the outbox's own pruning). An incident that is no longer closed is left
    /// alone. Returns how many moved.
    /// </summary>
    ValueTask<int> MoveToArchiveAsync(IReadOnlyList<ArchivedIncident> incidents, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> archived incidents closed before <paramref name="closedBefore"/>, lowest id first.</summary>
    ValueTask<IReadOnlyList<ArchivedIncident>> ExpiredAsync(DateTimeOffset closedBefore, int max, CancellationToken cancellationToken);

    /// <summary>Deletes these archived incidents; returns how many were there.</summary>
    ValueTask<int> DeleteArchivedAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken);

    /// <summary>How many incidents the archive holds, for the metrics.</summary>
    ValueTask<long> CountArchivedAsync(CancellationToken cancellationToken);
}

/// <summary>One archived incident: the columns it is searched by, and its whole document (<see cref="Archive.ArchiveDocument"/>).</summary>
public sealed record ArchivedIncident(
    long Id, string Instance, string Host, string Service, string Customer, DateTimeOffset OpenedAt, DateTimeOffset ClosedAt, byte[] Document);
