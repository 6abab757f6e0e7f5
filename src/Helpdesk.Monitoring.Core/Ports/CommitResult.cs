namespace Helpdesk.Monitoring.Ports;

/// <summary>The outcome of a commit: written, or refused because some event ids were applied before.</summary>
public sealed record CommitResult(IReadOnlyCollection<Guid> AlreadyApplied)
{
    public static readonly CommitResult Committed = new(Array.Empty<Guid>());

    public bool IsCommitted => AlreadyApplied.Count == 0;
}
