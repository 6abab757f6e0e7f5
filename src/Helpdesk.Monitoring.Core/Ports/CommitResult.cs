namespace Helpdesk.Monitoring.Ports;

/// <summary>
/// The outcome of a commit: written, or refused because the plan was decided on stale state: some event ids were
/// applied before, or another instance changed an incident the plan changes too (its timeline already has an entry
/// at the sequence number the plan wanted).
/// </summary>
public sealed record CommitResult(IReadOnlyCollection<Guid> AlreadyApplied)
{
    public static readonly CommitResult Committed = new(Array.Empty<Guid>());

    /// <summary>Incidents another writer changed since this instance's state was read.</summary>
    public IReadOnlyCollection<long> ChangedElsewhere { get; init; } = [];

    public bool IsCommitted => AlreadyApplied.Count == 0 && ChangedElsewhere.Count == 0;

    public static CommitResult Conflict(IReadOnlyCollection<long> incidents) => new(Array.Empty<Guid>()) { ChangedElsewhere = incidents };
}
