using System.Collections.Concurrent;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>
/// A real store underneath, counting the commits asked of it (and noting what each plan held when asked) and failing
/// the first few as a full disk would.
/// </summary>
public sealed class CommitCountingStore(IIncidentStore inner, int failures = 0) : IIncidentStore
{
    private readonly ConcurrentQueue<PlanSeen> _plans = new();
    private int _commits;

    public int Commits => Volatile.Read(ref _commits);

    /// <summary>What each plan held when it was given to the store, in order.</summary>
    public IReadOnlyList<PlanSeen> Plans => [.. _plans];

    public ValueTask InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

    public ValueTask<StoreSnapshot> LoadAsync(CancellationToken cancellationToken) => inner.LoadAsync(cancellationToken);

    public ValueTask<IReadOnlySet<Guid>> FindAppliedAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken) =>
        inner.FindAppliedAsync(eventIds, cancellationToken);

    public ValueTask<int> PruneAppliedEventsAsync(DateTimeOffset createdBefore, int maxRows, CancellationToken cancellationToken) =>
        inner.PruneAppliedEventsAsync(createdBefore, maxRows, cancellationToken);

    public ValueTask<CommitResult> CommitAsync(CommitPlan plan, CancellationToken cancellationToken)
    {
        _plans.Enqueue(new PlanSeen([.. plan.Events.Select(e => e.EventId)], plan.Inserts.Count, plan.Updates.Count, plan.Counters.Count, plan.IncidentEvents.Count));
        return Interlocked.Increment(ref _commits) > failures
            ? inner.CommitAsync(plan, cancellationToken)
            : ValueTask.FromException<CommitResult>(new IOException("disk unavailable (injected)"));
    }
}

/// <summary>A plan as the store was given it: applied event ids and how many of each kind of write.</summary>
public sealed record PlanSeen(Guid[] EventIds, int Inserts, int Updates, int Counters, int IncidentEvents);
