using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Ports;

/// <summary>
/// State shared by the instances of a scale-out deployment, read once before a batch is decided and written once
/// after the store committed it (so it never claims what the store does not hold): which event ids were applied (by
/// any instance), how many new problems every instance saw per second (the storm rate across instances), and the live
/// incidents each batch changed (identity → incident, problem episodes, members, group windows, flapping and
/// maintenance state, clocks), which every instance's decider absorbs. The store stays the system of record: when the
/// shared state is empty (restart, flush, new cluster) the instance rebuilds from the store and seeds it; when it is
/// unreachable, decisions fall back to the store and to this instance's own view, and the store refuses any plan
/// decided on a stale copy.
/// </summary>
public interface ISharedState
{
    ValueTask<SharedView> ReadAsync(IReadOnlyCollection<Guid> eventIds, long nowUnixSeconds, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a committed batch's update and answers, in the same round trip, what other instances changed since the
    /// last read or write (so under load the next batch need not read first).
    /// </summary>
    ValueTask<SharedView> WriteAsync(SharedUpdate update, long nowUnixSeconds, CancellationToken cancellationToken);

    /// <summary>
    /// After a read asked for <see cref="SharedView.RebuildFromStore"/> and the instance rebuilt: fills an empty shared
    /// state with the live incidents, and takes up the change log from where that read found it.
    /// </summary>
    ValueTask SeedAsync(IReadOnlyList<LiveIncident> live, CancellationToken cancellationToken);
}

/// <summary>What the shared state knows before a batch: applied ids among those asked, new problems in the last minute.</summary>
public sealed record SharedView(IReadOnlySet<Guid> Applied, int NewProblemsLastMinute)
{
    public static readonly SharedView Empty = new(new HashSet<Guid>(), 0);

    /// <summary>Incidents other instances changed since this instance's last read (without their members).</summary>
    public IReadOnlyList<LiveIncident> Changed { get; init; } = [];

    /// <summary>Correlated alerts other instances changed since this instance's last read: absorb after <see cref="Changed"/>.</summary>
    public IReadOnlyList<AlertMember> ChangedMembers { get; init; } = [];

    /// <summary>
    /// The shared state is empty or was reset, or this instance fell further behind than its change log keeps: rebuild
    /// the decider from the store, then <see cref="ISharedState.SeedAsync"/>.
    /// </summary>
    public bool RebuildFromStore { get; init; }
}

/// <summary>
/// What a committed batch adds: its event ids, its new problems by Nagios second, and the incidents it changed with the
/// members that changed.
/// </summary>
public sealed record SharedUpdate(IReadOnlyList<Guid> Applied, IReadOnlyDictionary<long, int> NewProblemsBySecond)
{
    public IReadOnlyList<LiveIncident> Incidents { get; init; } = [];
}

/// <summary>The embedded default: one instance, nothing to share.</summary>
public sealed class NoSharedState : ISharedState
{
    public static readonly NoSharedState Instance = new();

    public ValueTask<SharedView> ReadAsync(IReadOnlyCollection<Guid> eventIds, long nowUnixSeconds, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SharedView.Empty);

    public ValueTask<SharedView> WriteAsync(SharedUpdate update, long nowUnixSeconds, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SharedView.Empty);

    public ValueTask SeedAsync(IReadOnlyList<LiveIncident> live, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
