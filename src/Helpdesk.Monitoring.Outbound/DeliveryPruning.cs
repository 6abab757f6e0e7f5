using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Outbound;

/// <summary>
/// Keeps the outbox bounded: every hour, deliveries sent or given up longer ago than
/// <see cref="OutboundOptions.KeepDone"/> are deleted, in slices so the writer is never held for long. Waiting
/// deliveries are never touched. Idle between runs (one timer, no polling).
/// </summary>
public sealed class DeliveryPruning(IDeliveryQueue queue, OutboundOptions options, TimeProvider time, Action<string, Exception?> log)
{
    public const int Slice = 5_000;

    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                await PruneOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Deletes what is due now, slice by slice; returns how many.</summary>
    public async Task<long> PruneOnceAsync(CancellationToken cancellationToken)
    {
        long total = 0;
        try
        {
            var cutoff = time.GetUtcNow() - options.KeepDone;
            int pruned;
            do
            {
                pruned = await queue.PruneDoneAsync(cutoff, Slice, cancellationToken).ConfigureAwait(false);
                total += pruned;
            }
            while (pruned == Slice);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log("deleting old sent and given-up deliveries failed; will retry within the hour", ex);
        }

        return total;
    }
}
