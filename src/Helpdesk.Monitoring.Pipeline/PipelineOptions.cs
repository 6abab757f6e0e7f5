namespace Helpdesk.Monitoring.Pipeline;

/// <summary>Batching and timing of the pipeline.</summary>
public sealed record PipelineOptions
{
    /// <summary>
    /// Most notifications in one store transaction. A turn takes what is waiting, so this bounds batches only when the
    /// store is behind, and then larger is faster: the changes of one batch share the pages they rewrite (an incident's
    /// row, the index entries of its events), so each change writes fewer of them. Kafka at 25,000 state
    /// changes a second on two cores fell ~15 % behind at 2,000, ~10 % at 10,000 and ~2 % at 20,000. The sources'
    /// read-ahead bounds (Kafka's and the spool's MaxInFlight) are twice this, so the next batch gathers while one commits.
    /// </summary>
    public int BatchSize { get; init; } = 20_000;

    /// <summary>
    /// How long a turn waits for more notifications before it commits what is waiting. Zero (the default) commits as soon
    /// as the store is free, and what arrives during a commit goes into the next one: callers wait on commits, so that
    /// is the lowest latency, and under load batches still grow to what the store needs.
    /// </summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.Zero;

    /// <summary>How often timers (closing after the verification hold) are evaluated.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the store may go without completing a commit (failing, or stuck) before /readyz reports not ready.</summary>
    public TimeSpan StoreFailureGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between retries of a failing store commit.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long applied event ids are kept for redelivery checks; a redelivery older than this applies again.</summary>
    public TimeSpan AppliedEventRetention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Scale-out: how long what the shared state last answered (a read, or a write's answer) stands in for the read
    /// before the next batch, when that batch holds no event id the decider cannot place. Under load batches follow each
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

        if (BatchWindow < TimeSpan.Zero || BatchWindow > TimeSpan.FromSeconds(1))
        {
            return "Pipeline:BatchWindow must be between 0 and 1 second";
        }

        if (TickInterval <= TimeSpan.Zero || MaxRetryDelay <= TimeSpan.Zero || PruneInterval <= TimeSpan.Zero)
        {
            return "Pipeline:TickInterval, MaxRetryDelay and PruneInterval must be positive";
        }

        if (StoreFailureGrace < TimeSpan.Zero)
        {
            return "Pipeline:StoreFailureGrace must not be negative";
        }

        if (AppliedEventRetention < TimeSpan.FromHours(1))
        {
            return "Pipeline:AppliedEventRetention must be at least one hour (redeliveries arrive minutes late)";
        }

        return null;
    }
}
