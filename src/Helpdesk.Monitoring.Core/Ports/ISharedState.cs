namespace Helpdesk.Monitoring.Ports;

/// <summary>
/// State shared by the instances of a scale-out deployment, read once before a batch is decided and written once
/// after the store committed it (so it never claims what the store does not hold): which event ids were applied (by
/// any instance), and how many new problems every instance saw per second (the storm rate across instances). A cache
/// in front of the store: when it is empty or unreachable, decisions fall back to the store and to this instance's
/// own rate, and nothing is lost or doubled.
/// </summary>
public interface ISharedState
{
    ValueTask<SharedView> ReadAsync(IReadOnlyCollection<Guid> eventIds, long nowUnixSeconds, CancellationToken cancellationToken);

    ValueTask WriteAsync(SharedUpdate update, CancellationToken cancellationToken);
}

/// <summary>What the shared state knows before a batch: applied ids among those asked, new problems in the last minute.</summary>
public sealed record SharedView(IReadOnlySet<Guid> Applied, int NewProblemsLastMinute)
{
    public static readonly SharedView Empty = new(new HashSet<Guid>(), 0);
}

/// <summary>What a committed batch adds: its event ids, and its new problems by Nagios second.</summary>
public sealed record SharedUpdate(IReadOnlyList<Guid> Applied, IReadOnlyDictionary<long, int> NewProblemsBySecond);

/// <summary>The embedded default: one instance, nothing to share.</summary>
public sealed class NoSharedState : ISharedState
{
    public static readonly NoSharedState Instance = new();

    public ValueTask<SharedView> ReadAsync(IReadOnlyCollection<Guid> eventIds, long nowUnixSeconds, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SharedView.Empty);

    public ValueTask WriteAsync(SharedUpdate update, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
