namespace Helpdesk.Monitoring.Spool;

/// <summary>How the service reads the spool.</summary>
public sealed record SpoolOptions
{
    /// <summary>How often the spool is listed when no new file woke the reader: a fallback, new files wake it at once.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most records read but not yet committed: bounds memory when the store is slow or down. Twice
    /// the pipeline's batch size, so that a full batch can be read while the one before it commits.
    /// </summary>
    public int MaxInFlight { get; init; } = 40_000;

    /// <summary>Temporary files older than this were left by a writer that was killed, and are removed.</summary>
    public TimeSpan AbandonedTemporaryAge { get; init; } = TimeSpan.FromMinutes(10);
}
