namespace Helpdesk.Monitoring.Pipeline;

/// <summary>Batching and timing of the pipeline.</summary>
public sealed record PipelineOptions
{
    /// <summary>Most notifications in one store transaction.</summary>
    public int BatchSize { get; init; } = 2000;

    /// <summary>How long a batch waits to fill: the floor of commit latency. Callers wait on commits, so short wins.</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>How often timers (closing after the verification hold) are evaluated.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between retries of a failing store commit.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long applied event ids are kept for redelivery checks; a redelivery older than this applies again.</summary>
    public TimeSpan AppliedEventRetention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Scale-out: how long what the shared state last answered (a read, or a write's answer) stands in for the read
    /// before the next batch, when that batch holds no event id the book cannot place. Under load batches follow each
    /// other within milliseconds, so each costs one round trip; idle, every tick reads.
    /// </summary>
    public TimeSpan SharedStateFreshness { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often old applied event ids are pruned (in slices, between batches).</summary>
    public TimeSpan PruneInterval { get; init; } = TimeSpan.FromMinutes(5);

    public string? Validate()
    {
        if (BatchSize is < 1 or > 100_000)
        {
            return "Pipeline:BatchSize must be between 1 and 100000";
        }

        if (SharedStateFreshness < TimeSpan.Zero || SharedStateFreshness > TimeSpan.FromSeconds(1))
        {
            return "Pipeline:SharedStateFreshness must be between 0 and 1 second";
        }

        if (BatchWindow <= TimeSpan.Zero || TickInterval <= TimeSpan.Zero || MaxRetryDelay <= TimeSpan.Zero || PruneInterval <= TimeSpan.Zero)
        {
            return "Pipeline:BatchWindow, TickInterval, MaxRetryDelay and PruneInterval must be positive";
        }

        if (AppliedEventRetention < TimeSpan.FromHours(1))
        {
            return "Pipeline:AppliedEventRetention must be at least one hour (redeliveries arrive minutes late)";
        }

        return null;
    }
}
