using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Pipeline;

/// <summary>
/// Keeps the idempotency table bounded: one slice of old event ids per interval, run after a batch is settled. Small
/// slices, because a prune runs on the pipeline thread between batches and must not stall ingest for long.
/// </summary>
internal sealed class AppliedEventPruning(IIncidentStore store, PipelineOptions options, Action<string, Exception?> log)
{
    public const int Slice = 10_000;

    private DateTimeOffset _next = DateTimeOffset.MinValue;

    public async Task RunIfDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (now < _next)
        {
            return;
        }

        _next = now + options.PruneInterval;
        try
        {
            var pruned = await store.PruneAppliedEventsAsync(now - options.AppliedEventRetention, Slice, cancellationToken);
            if (pruned == Slice)
            {
                // More is waiting: come back after the next batch rather than stall this one.
                _next = now;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log("pruning old applied event ids failed; will retry", ex);
        }
    }
}
