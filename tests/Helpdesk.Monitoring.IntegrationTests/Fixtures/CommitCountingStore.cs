using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>A real store underneath, counting the commits asked of it and failing the first few as a full disk would.</summary>
public sealed class CommitCountingStore(IIncidentStore inner, int failures = 0) : IIncidentStore
{
    private int _commits;

    public int Commits => Volatile.Read(ref _commits);

    public ValueTask InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

    public ValueTask<StoreSnapshot> LoadAsync(CancellationToken cancellationToken) => inner.LoadAsync(cancellationToken);

    public ValueTask<IReadOnlySet<Guid>> FindAppliedAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken) =>
        inner.FindAppliedAsync(eventIds, cancellationToken);

    public ValueTask<int> PruneAppliedEventsAsync(DateTimeOffset createdBefore, int maxRows, CancellationToken cancellationToken) =>
        inner.PruneAppliedEventsAsync(createdBefore, maxRows, cancellationToken);

    public ValueTask<CommitResult> CommitAsync(CommitPlan plan, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _commits) > failures
            ? inner.CommitAsync(plan, cancellationToken)
            : ValueTask.FromException<CommitResult>(new IOException("disk unavailable (injected)"));
}
