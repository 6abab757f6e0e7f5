using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Ports;

/// <summary>The durable system of record for incidents. Every write is idempotent by event id.</summary>
public interface IIncidentStore
{
    /// <summary>Creates or migrates the schema.</summary>
    ValueTask InitializeAsync(CancellationToken cancellationToken);

    /// <summary>What the in-memory state is rebuilt from at start.</summary>
    ValueTask<StoreSnapshot> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Which of these event ids were applied before.</summary>
    ValueTask<IReadOnlySet<Guid>> FindAppliedAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a sealed plan in one transaction. If any of its event ids was applied already, nothing is written and
    /// the result names them: the caller's state is stale and must be rebuilt.
    /// </summary>
    ValueTask<CommitResult> CommitAsync(CommitPlan plan, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets up to <paramref name="maxRows"/> applied event ids both created (UUIDv7 time) and applied before
    /// <paramref name="createdBefore"/>; returns how many. A redelivery of an id applied within the retention is
    /// therefore always recognised, however old the id itself.
    /// </summary>
    ValueTask<int> PruneAppliedEventsAsync(DateTimeOffset createdBefore, int maxRows, CancellationToken cancellationToken);
}
